nr = "0ae3450ef2c584eeaca0a1cabf3f1657d55eNRAL"

sample_ref = "0ae3450ef2c584eeaca0NRAL"

nr = "0ae3450ef2c5xxxxxxxxxxxxxxxxxxxxxxxxxxxx"
