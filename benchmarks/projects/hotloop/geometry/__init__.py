"""Small helpers the hot loop calls across module boundaries."""
