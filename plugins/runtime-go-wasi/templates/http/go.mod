module function

go 1.24

tool go.bytecodealliance.org/cmd/wit-bindgen-go
