ep = "EZAKMrcQ0RxgTMTNTwX9dcj7RL1e123QqGmoPCMufekOBZfqg3sQb8Bx4T"

sample_ref = "EZAKMrcQ0RxgTMTNTwX9dcj7RL1e123QqGmoPC"

ep = "EZAKMrcQ0Rxgxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
