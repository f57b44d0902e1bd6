// Package main is a WASI HTTP function built with TinyGo for wasip2.
//
// The bindings in gen/ are generated from wit/ by wit-bindgen-go; funcp
// build runs `go generate` for you, after fetching the WASI packages the
// world includes into wit/deps.
package main

//go:generate go tool wit-bindgen-go generate --world boson --out gen --package-root function/gen ./wit

import (
	incominghandler "function/gen/wasi/http/incoming-handler"
	"function/gen/wasi/http/types"

	"go.bytecodealliance.org/cm"
)

func init() {
	incominghandler.Exports.Handle = handle
}

// greeting is the body the function answers with. It is a plain function
// so that it can be tested without a WebAssembly runtime.
func greeting(path string) string {
	if path == "" {
		path = "/"
	}
	return "Hello from WASI! Path: " + path + "\n"
}

// handle answers every request with 200 and the greeting as text/plain.
func handle(request types.IncomingRequest, responseOut types.ResponseOutparam) {
	path := ""
	if p := request.PathWithQuery(); !p.None() {
		path = *p.Some()
	}

	headers := types.NewFields()
	contentType := types.FieldValue(cm.ToList([]byte("text/plain; charset=utf-8")))
	headers.Set("content-type", cm.ToList([]types.FieldValue{contentType}))

	response := types.NewOutgoingResponse(headers)
	response.SetStatusCode(200)
	bodyResult := response.Body()
	body := *bodyResult.OK()

	streamResult := body.Write()
	stream := *streamResult.OK()
	stream.BlockingWriteAndFlush(cm.ToList([]byte(greeting(path))))
	stream.ResourceDrop()
	types.OutgoingBodyFinish(body, cm.None[types.Trailers]())

	result := cm.OK[cm.Result[types.ErrorCodeShape, types.OutgoingResponse, types.ErrorCode]](response)
	types.ResponseOutparamSet(responseOut, result)
}

// main is empty: the host calls the exported handler.
func main() {}
