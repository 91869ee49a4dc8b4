module github.com/execref/execref/protocol

go 1.24
