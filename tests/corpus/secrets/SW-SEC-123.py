TEAMS_HOOK = "https://shopcorp.webhook.office.com/webhookb2/ec8de1f2-f064-474a-a00d-b5fd318050b1@cfed81fd-ea15-4a72-a340-1fa8d37c728d/IncomingWebhook/905916f2e18273be130bbbc7c17b47e6/08a664e2-97dd-4edd-ab32-efbac4a8b3cb"

TEAMS_HOOK = "https://shopcorp.webhook.office.com/webhookb2/<id>"
