yc = "AQVN8Fg7jRgFWnzPDAvOOYQflZPixOXfitNwdArL"

sample_ref = "AQVN8Fg7jRgFWnzPDAvOOYQflZ"

yc = "AQVN8Fg7jRgFxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
