module github.com/execref/execref/sdk

go 1.24

require github.com/execref/execref/protocol v0.0.0

replace github.com/execref/execref/protocol => ../protocol
