memory     = 256
stage_name = "tfvars"
