HOOK = "https://discord.com/api/webhooks/1373977662216484184/QpVlJNyS6U7POHSGnK8diN8v6ewdHpJTrI0kx4pYaGyjvucEoVDL1zZOHuAc606FGfsS"

HOOK = "https://discord.com/api/webhooks/{id}/{token}"
