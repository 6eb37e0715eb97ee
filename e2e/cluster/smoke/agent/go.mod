module parley.local/cluster/smoke-agent

go 1.21
