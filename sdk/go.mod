module github.com/execref/execref/sdk

go 1.24

require (
	github.com/execref/execref/protocol v0.1.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
)

require golang.org/x/text v0.14.0 // indirect
