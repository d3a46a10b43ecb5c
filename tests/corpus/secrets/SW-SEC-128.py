ZENDESK_API_TOKEN = "VuvCKRVRGWdmyDtDZ080AzEpc6yg5LGPlBOcZEMH"

sample_ref = "VuvCKRVRGWdmyDtDZ080AzEpc6"

ZENDESK_API_TOKEN = "VuvCKRVRGWdmxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
