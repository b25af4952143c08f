//! JSON-RPC framing over a byte stream (`Content-Length: N\r\n\r\n` + N bytes of JSON).
//! Written here rather than taken from `lsp-server`'s stdio helper because that one ends the
//! connection on the first malformed message; the server must log it, answer it and go on.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::Value;

/// A frame that arrived but is not a usable message.
#[derive(Debug)]
pub struct Malformed {
    /// The request's id when the JSON had one (the error answer must carry it); else null.
    pub id: Value,
    pub code: ErrorCode,
    pub reason: String,
}

/// What one read from the client produced.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    Malformed(Malformed),
}

/// Read the next frame; `None` at the end of the stream.
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between frames are noise, not an empty header block.
            continue;
        }
        saw_header = true;
        // Found anywhere in the line, so that a frame following garbage (a body without a
        // length, a stray print) is still picked up.
        if let Some(value) = header_value(header, "content-length") {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length else {
        return Ok(Some(Frame::Malformed(Malformed {
            id: Value::Null,
            code: ErrorCode::ParseError,
            reason: "a frame without a valid Content-Length header".into(),
        })));
    };
    if length > MAX_FRAME_BYTES {
        // Not read: the next header found in what follows is taken up again.
        return Ok(Some(Frame::Malformed(Malformed {
            id: Value::Null,
            code: ErrorCode::ParseError,
            reason: format!(
                "a frame of {length} bytes, more than the {} MiB artlint reads",
                MAX_FRAME_BYTES >> 20
            ),
        })));
    }
    // Grown as the bytes arrive, not allocated up front from what the header claims.
    let mut body = Vec::new();
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(parse_body(&body)))
}

/// The largest frame read: a document at the largest file size artlint lints, JSON-escaped
/// at worst (`\u0000` for each byte), with room to spare.
const MAX_FRAME_BYTES: usize = 256 << 20;

/// The value of header `name` (case-insensitive) in `line`, wherever it starts.
fn header_value<'l>(line: &'l str, name: &str) -> Option<&'l str> {
    let at = line.to_ascii_lowercase().find(name)?;
    line[at + name.len()..].trim_start().strip_prefix(':')
}

fn parse_body(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            return Frame::Malformed(Malformed {
                id: Value::Null,
                code: ErrorCode::ParseError,
                reason: format!("invalid JSON: {e}"),
            });
        }
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Malformed(Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            reason: format!("not a JSON-RPC request, response or notification: {e}"),
        }),
    }
}

/// Write one message, framed.
pub fn write_message(output: &mut impl Write, message: &Message) -> io::Result<()> {
    // `lsp_server::Message` serialises without the `"jsonrpc": "2.0"` every JSON-RPC message
    // must carry (its own writer adds it), and strict clients refuse a message without it.
    let mut value = serde_json::to_value(message).map_err(io::Error::other)?;
    if let Value::Object(fields) = &mut value {
        fields.insert("jsonrpc".into(), Value::from("2.0"));
    }
    let text = serde_json::to_string(&value).map_err(io::Error::other)?;
    write_text(output, &text)
}

/// Write one notification, framed, serialising `params` straight to text (a publish of
/// thousands of diagnostics would otherwise be built twice: as a JSON tree, then as text).
pub fn write_notification(
    output: &mut impl Write,
    method: &str,
    params: &impl serde::Serialize,
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Outgoing<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    let text = serde_json::to_string(&Outgoing {
        jsonrpc: "2.0",
        method,
        params,
    })
    .map_err(io::Error::other)?;
    write_text(output, &text)
}

/// The error answer to a malformed frame (its id may be null, which `lsp-server`'s types
/// cannot express).
pub fn write_malformed_answer(output: &mut impl Write, malformed: &Malformed) -> io::Result<()> {
    let answer = serde_json::json!({
        "jsonrpc": "2.0",
        "id": malformed.id,
        "error": {"code": malformed.code as i32, "message": malformed.reason},
    });
    write_text(output, &answer.to_string())
}

fn write_text(output: &mut impl Write, text: &str) -> io::Result<()> {
    write!(output, "Content-Length: {}\r\n\r\n", text.len())?;
    output.write_all(text.as_bytes())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut reader = io::BufReader::new(input.as_bytes());
        std::iter::from_fn(|| read_frame(&mut reader).ok().flatten()).collect()
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_consecutive_frames() {
        let input = framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#)
            + &framed(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let got = frames(&input);
        assert_eq!(got.len(), 2);
        assert!(matches!(&got[0], Frame::Message(Message::Request(r)) if r.method == "shutdown"));
        assert!(matches!(&got[1], Frame::Message(Message::Notification(n)) if n.method == "exit"));
    }

    #[test]
    fn bad_json_is_a_parse_error_and_the_next_frame_still_reads() {
        let input = framed("{not json") + &framed(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let got = frames(&input);
        assert!(
            matches!(&got[0], Frame::Malformed(m) if m.code as i32 == ErrorCode::ParseError as i32 && m.id == Value::Null)
        );
        assert!(matches!(&got[1], Frame::Message(_)));
    }

    #[test]
    fn json_that_is_no_message_is_an_invalid_request() {
        let got = frames(&framed("42"));
        assert!(matches!(&got[0], Frame::Malformed(m)
            if m.code as i32 == ErrorCode::InvalidRequest as i32 && m.id == Value::Null));
    }

    #[test]
    fn a_frame_after_garbage_is_found() {
        let input = format!(
            "garbage without length\r\n\r\n{}",
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#)
        );
        let got = frames(&input);
        assert!(matches!(&got[0], Frame::Malformed(_)));
        assert!(matches!(&got[1], Frame::Message(_)));
    }

    #[test]
    fn an_absurd_length_is_refused_not_allocated() {
        // `vec![0; length]` aborted the process on this header.
        let input = format!(
            "Content-Length: 99999999999999999\r\n\r\n{{}}\r\n\r\n{}",
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#)
        );
        let got = frames(&input);
        assert!(
            matches!(&got[0], Frame::Malformed(m) if m.reason.contains("99999999999999999 bytes")),
            "{got:?}"
        );
        assert!(matches!(got.last(), Some(Frame::Message(_))), "{got:?}");
        // A frame cut short by the end of the stream is an error, not a message.
        let mut reader = io::BufReader::new("Content-Length: 50\r\n\r\n{}".as_bytes());
        assert!(read_frame(&mut reader).is_err());
    }

    #[test]
    fn every_message_written_says_jsonrpc_2_0() {
        for message in [
            Message::Response(lsp_server::Response::new_ok(
                lsp_server::RequestId::from(1),
                (),
            )),
            Message::Request(lsp_server::Request::new(
                lsp_server::RequestId::from(2),
                "client/registerCapability".into(),
                (),
            )),
        ] {
            let mut out = Vec::new();
            write_message(&mut out, &message).unwrap();
            let text = String::from_utf8(out).unwrap();
            let body: Value = serde_json::from_str(text.split("\r\n\r\n").nth(1).unwrap()).unwrap();
            assert_eq!(body["jsonrpc"], "2.0", "{text}");
        }
    }
}
