nuget = "oy2gseyhftxoa345bklhudt65setqrt77ry2ixn3z2aiir"

sample_ref = "oy2gseyhftxoa345bklhudt65setqr"

nuget = "oy2gseyhftxoxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
