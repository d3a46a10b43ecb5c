slack = "xapp-1-ARZPR00I1FL-6554775236213-ab628445981e6aa73ab97ff35340c8dfcd6ba83af277d0ec0acc31aa624db3d2"

sample_ref = "xapp-1-ARZPR00I1FL-6554775236213-ab628445981e6aa73ab97ff35340c8d"

slack = "xapp-1-ARZPRxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
