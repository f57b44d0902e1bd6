//! A WASI HTTP function: a `wasi:http/proxy` component that answers every
//! request with `Hello from WASI! Path: <path>`.

use wasi::http::types::{
    Fields, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam,
};

wasi::http::proxy::export!(Function);

struct Function;

impl wasi::exports::http::incoming_handler::Guest for Function {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let body_text = greeting(request.path_with_query().as_deref());

        let headers = Fields::new();
        headers
            .set("content-type", &[b"text/plain; charset=utf-8".to_vec()])
            .expect("content-type header");
        let response = OutgoingResponse::new(headers);
        response.set_status_code(200).expect("status code");
        let body = response.body().expect("response body");
        ResponseOutparam::set(response_out, Ok(response));

        let stream = body.write().expect("body stream");
        stream
            .blocking_write_and_flush(body_text.as_bytes())
            .expect("write body");
        drop(stream);
        OutgoingBody::finish(body, None).expect("finish body");
    }
}

/// The response body for a request path (with its query); `/` when absent.
pub fn greeting(path: Option<&str>) -> String {
    let path = match path {
        Some(p) if !p.is_empty() => p,
        _ => "/",
    };
    format!("Hello from WASI! Path: {path}\n")
}

#[cfg(test)]
mod tests {
    use super::greeting;

    #[test]
    fn greets_with_the_path() {
        assert_eq!(greeting(Some("/hello?x=1")), "Hello from WASI! Path: /hello?x=1\n");
    }

    #[test]
    fn defaults_to_root() {
        assert_eq!(greeting(None), "Hello from WASI! Path: /\n");
        assert_eq!(greeting(Some("")), "Hello from WASI! Path: /\n");
    }
}
