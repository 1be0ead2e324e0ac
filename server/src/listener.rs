//! The listening socket, and two things below the router that are set on each connection.
//!
//! - `TCP_NODELAY`: small responses go out at once. Without it Nagle's algorithm meets the client's
//!   delayed ACK and each static file stalls for ~40 ms.
//! - hyper answers a request it cannot parse at all (a URL over 64 KiB, header fields over its read
//!   buffer, a malformed request line) itself, before any middleware runs, with a bare status and an
//!   empty body. Such an answer is rewritten on its way out into the API's error shape
//!   (`{"error": {"code", "message"}}`), so that every client meets one shape. The rewrite knows
//!   hyper's automatic answers by what no route sends: a 400, 414 or 431 with `content-length: 0`
//!   (every error of ours has a JSON body).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use entitle_core::dto::{ErrorBody, ErrorCode, ErrorDetail};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::error::ApiError;

/// A TCP listener for [`axum::serve`] whose connections are [`Connection`]s.
#[derive(Debug)]
pub struct Listener {
    tcp: TcpListener,
}

impl Listener {
    /// Serves connections accepted on `tcp`.
    #[must_use]
    pub fn new(tcp: TcpListener) -> Self {
        Listener { tcp }
    }
}

impl axum::serve::Listener for Listener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        let (tcp, addr) = axum::serve::Listener::accept(&mut self.tcp).await;
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set: {e}");
        }
        (
            Connection {
                tcp,
                replacing: None,
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// One accepted connection: the TCP stream, with hyper's automatic error answers rewritten.
#[derive(Debug)]
pub struct Connection {
    tcp: TcpStream,
    replacing: Option<Replacement>,
}

/// An answer being written in place of hyper's.
#[derive(Debug)]
struct Replacement {
    bytes: Vec<u8>,
    written: usize,
    /// The length of hyper's answer: what hyper is told was written once ours is out.
    stands_for: usize,
}

/// The answer to send instead of `head`, when `head` is one of hyper's automatic error answers.
fn replacement_for(head: &[u8]) -> Option<Vec<u8>> {
    if !head.ends_with(b"\r\n\r\n") || !contains(head, b"\r\ncontent-length: 0\r\n") {
        return None;
    }
    let (status, code, message) = if head.starts_with(b"HTTP/1.1 414 ") {
        (
            "414 URI Too Long",
            ErrorCode::UriTooLong,
            // hyper's limit, not ours: the router refuses anything over 8 KiB itself.
            "the URL is too long (at most 65534 bytes of path and query)".to_owned(),
        )
    } else if head.starts_with(b"HTTP/1.1 431 ") {
        (
            "431 Request Header Fields Too Large",
            ErrorCode::HeadersTooLarge,
            "the request's header fields are too large".to_owned(),
        )
    } else if head.starts_with(b"HTTP/1.1 400 ") {
        (
            "400 Bad Request",
            ErrorCode::BadRequest,
            ApiError::BadRequest("the request is not well-formed HTTP/1.1".to_owned()).to_string(),
        )
    } else {
        return None;
    };
    let body = serde_json::to_vec(&ErrorBody {
        error: ErrorDetail {
            code,
            message,
            fields: None,
        },
    })
    .ok()?;
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-content-type-options: nosniff\r\ncache-control: no-store\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(&body);
    Some(bytes)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

impl Connection {
    /// Writes the replacement under way; hyper hears of its own answer as written once all of ours is.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let Some(r) = self.replacing.as_mut() else {
            return Poll::Ready(Ok(0));
        };
        while r.written < r.bytes.len() {
            let n = ready!(Pin::new(&mut self.tcp).poll_write(cx, &r.bytes[r.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            r.written += n;
        }
        let stands_for = r.stands_for;
        self.replacing = None;
        Poll::Ready(Ok(stands_for))
    }

    /// Starts a replacement if `buf` is one of hyper's automatic answers.
    fn start_replacing(&mut self, buf: &[u8]) -> bool {
        match replacement_for(buf) {
            Some(bytes) => {
                self.replacing = Some(Replacement {
                    bytes,
                    written: 0,
                    stands_for: buf.len(),
                });
                true
            }
            None => false,
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // hyper retries a pending write with the same bytes, so a replacement under way goes on.
        if this.replacing.is_some() || this.start_replacing(buf) {
            return this.poll_replacement(cx);
        }
        Pin::new(&mut this.tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.replacing.is_some() {
            return this.poll_replacement(cx);
        }
        // An automatic answer is a head alone: one buffer, no body after it.
        let mut filled = bufs.iter().filter(|b| !b.is_empty());
        if let (Some(only), None) = (filled.next(), filled.next())
            && this.start_replacing(only)
        {
            return this.poll_replacement(cx);
        }
        Pin::new(&mut this.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypers_bare_414_becomes_the_error_shape() {
        let head = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Thu, 03 Dec 2026 13:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(replacement_for(head).expect("replaced")).unwrap();
        assert!(out.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{out}");
        let body = out.split("\r\n\r\n").nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "uri_too_long");
        assert!(out.contains(&format!("content-length: {}\r\n", body.len())));
    }

    #[test]
    fn an_answer_with_a_body_is_left_alone() {
        assert!(
            replacement_for(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 57\r\n\r\n").is_none()
        );
        assert!(replacement_for(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(
            replacement_for(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n{}").is_none()
        );
    }
}

/// The peer of a connection, as the router's `ConnectInfo` (the client address for throttling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, Listener>> for Peer {
    fn connect_info(stream: axum::serve::IncomingStream<'_, Listener>) -> Self {
        Peer(*stream.remote_addr())
    }
}
