stage_name = "auto-a"
