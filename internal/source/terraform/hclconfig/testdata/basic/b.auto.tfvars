stage_name = "auto-b"
