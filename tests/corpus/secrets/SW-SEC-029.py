hk = "HRKU-AAeRW8uFWBDj5n4A8Eej4PK5rXeYgVC6DlrgKpBaWP9Ns-gJrY32NtrZuIme"

sample_ref = "HRKU-AAeRW8uFWBDj5n4A8Eej4PK5rXeYgVC6DlrgKp"

hk = "HRKU-AAeRW8uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
