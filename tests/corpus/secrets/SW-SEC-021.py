aad_client = "kcB8Q~fG8rKtiIJwmcsLrfpHMYHJypl4nqYjOQrz"

sample_ref = "kcB8QxfG8rKtiIJwmcsLrfpHMYHJypl4nqYjOQrz"

aad_client = "kcB8Q~fG8rKtxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
