module parley.local/cluster/capdrop-runc

go 1.21
