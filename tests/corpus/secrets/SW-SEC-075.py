gem = "rubygems_c62da093d4166eef51bd178de07ff749b80a9e46b8dc9813"

sample_ref = "rubygems_c62da093d4166eef51bd178de07ff"

gem = "rubygems_c62xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
