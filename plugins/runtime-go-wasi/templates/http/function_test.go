package main

import "testing"

func TestGreeting(t *testing.T) {
	cases := map[string]string{
		"/":             "Hello from WASI! Path: /\n",
		"/hello?name=x": "Hello from WASI! Path: /hello?name=x\n",
		"":              "Hello from WASI! Path: /\n",
	}
	for path, want := range cases {
		if got := greeting(path); got != want {
			t.Errorf("greeting(%q) = %q, want %q", path, got, want)
		}
	}
}
