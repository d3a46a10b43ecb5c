gl = "glagent-_51T8AIqYO0DEYjwR4g05w3pnLanMR3hiv6GO26DgfTeJrTHxe"

sample_ref = "glagent-_51T8AIqYO0DEYjwR4g05w3pnLanMR"

gl = "glagent-_51Txxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
