//! `artlint server`: a language server over standard input and output (LSP, synchronous, with
//! `lsp-server`'s message types and `lsp-types`). The open documents are linted by the same
//! engine as the command line, on the main thread; the corpus rules come from a workspace scan
//! on a background thread ([`workspace`]). Edits that arrive while a lint runs are applied
//! together and linted once: only the latest text of each document is ever linted.

mod actions;
mod convert;
mod transport;
mod workspace;

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{self as lsp, Uri};
use serde_json::Value;

use crate::config::{CONFIG_FILE, CliOverrides, Config, ConfigResolver};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, FileKind};
use crate::engine::{self, CheckOptions, FileOutcome};

use convert::{LspLines, PositionMap};
use transport::Frame;

/// Run the server until the client says `exit` (or closes its end). Exit code 0 after a
/// `shutdown` request, 1 otherwise, as the protocol asks.
pub fn run() -> ExitCode {
    let (frames_in, frames) = crossbeam_channel::unbounded();
    let reader = std::thread::Builder::new()
        .name("artlint-stdin".into())
        .spawn(move || {
            let mut input = BufReader::new(std::io::stdin().lock());
            loop {
                match transport::read_frame(&mut input) {
                    Ok(Some(frame)) => {
                        if frames_in.send(Some(frame)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        log(&format!("reading standard input failed: {e}"));
                        break;
                    }
                }
            }
            let _ = frames_in.send(None);
        });
    if let Err(e) = reader {
        log(&format!("cannot start the input thread: {e}"));
        return ExitCode::from(2);
    }
    let (corpus_in, corpus) = crossbeam_channel::unbounded();
    let mut server = Server::new(std::io::stdout().lock(), corpus_in);
    server.serve(&frames, &corpus)
}

fn log(message: &str) {
    eprintln!("[artlint server] {message}");
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    AwaitingInitialize,
    Running,
    ShutDown,
}

/// One event of the main loop.
enum Event {
    Frame(Frame),
    /// The client closed standard input.
    InputClosed,
    Corpus(workspace::CorpusFindings),
}

struct OpenDocument {
    uri: Uri,
    path: Arc<Path>,
    version: i32,
    text: String,
    /// The lint of the current text; `None` after an edit.
    lint: Option<Lint>,
    published: bool,
    /// Whether the corpus pass's findings for this file are of this text, whose offsets they
    /// hold: `Some(0)` when it is the text on disk the workspace scan read, `Some(n)` when
    /// it was saved and sent as facts job `n` (in step once a pass has applied job `n`),
    /// `None` after an edit until the next save (the findings are hidden until then).
    corpus_of_text: Option<u64>,
}

struct Lint {
    /// `None` when the configuration does not lint this file (excluded, other extension) or
    /// could not be loaded.
    outcome: Option<FileOutcome>,
    /// What the command line would report for this text: the file's findings and the corpus
    /// pass's, suppressions applied.
    reported: Vec<Diagnostic>,
}

struct Server<W: Write> {
    out: W,
    phase: Phase,
    /// The workspace root as the client named it and as the file system resolves it; the
    /// current folder is set to it, so paths read as `artlint` run there prints them.
    root: Option<(PathBuf, PathBuf)>,
    resolver: ConfigResolver,
    /// The last configuration error told to the user (told once, not on every keystroke).
    config_problem: Option<String>,
    documents: HashMap<Uri, OpenDocument>,
    /// The corpus pass's findings, by file, from the last scan or save.
    corpus: HashMap<Arc<Path>, Vec<Diagnostic>>,
    /// The last facts job sent to the corpus thread, and the last one its findings applied.
    facts_sent: u64,
    facts_applied: u64,
    workspace: Option<Sender<workspace::Job>>,
    corpus_results: Sender<workspace::CorpusFindings>,
    next_request: i32,
    /// The client can watch files for us (dynamic registration of didChangeWatchedFiles).
    client_watches_files: bool,
}

impl<W: Write> Server<W> {
    fn new(out: W, corpus_results: Sender<workspace::CorpusFindings>) -> Self {
        Server {
            out,
            phase: Phase::AwaitingInitialize,
            root: None,
            resolver: new_resolver(),
            config_problem: None,
            documents: HashMap::new(),
            corpus: HashMap::new(),
            facts_sent: 0,
            facts_applied: 0,
            workspace: None,
            corpus_results,
            next_request: 0,
            client_watches_files: false,
        }
    }

    fn serve(
        &mut self,
        frames: &Receiver<Option<Frame>>,
        corpus: &Receiver<workspace::CorpusFindings>,
    ) -> ExitCode {
        let to_event = |frame: Option<Frame>| frame.map_or(Event::InputClosed, Event::Frame);
        loop {
            let first = crossbeam_channel::select! {
                recv(frames) -> frame => frame.map_or(Event::InputClosed, to_event),
                // Never disconnected: the server itself holds a sender.
                recv(corpus) -> findings => findings.map_or(Event::InputClosed, Event::Corpus),
            };
            // Everything already waiting is handled before any document is linted again: a
            // burst of edits costs one lint.
            let batch = std::iter::once(first)
                .chain(frames.try_iter().map(to_event))
                .chain(corpus.try_iter().map(Event::Corpus))
                .collect::<Vec<_>>();
            for event in batch {
                if let Some(code) = self.handle_guarded(event) {
                    return code;
                }
            }
            self.publish_pending();
        }
    }

    /// Handle one event; a panic in the server's own code is logged (and answered, for a
    /// request) instead of ending the session.
    fn handle_guarded(&mut self, event: Event) -> Option<ExitCode> {
        let request_id = match &event {
            Event::Frame(Frame::Message(Message::Request(r))) => Some(r.id.clone()),
            _ => None,
        };
        match panic::catch_unwind(AssertUnwindSafe(|| self.handle(event))) {
            Ok(exit) => exit,
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                log(&format!("internal error: {message}"));
                if let Some(id) = request_id {
                    self.send(Message::Response(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("artlint internal error: {message}"),
                    )));
                }
                None
            }
        }
    }

    fn handle(&mut self, event: Event) -> Option<ExitCode> {
        match event {
            Event::InputClosed => {
                log("the client closed the connection");
                Some(self.exit_code())
            }
            Event::Corpus(findings) => {
                self.corpus_updated(findings);
                None
            }
            Event::Frame(Frame::Malformed(malformed)) => {
                log(&format!("malformed message: {}", malformed.reason));
                if let Err(e) = transport::write_malformed_answer(&mut self.out, &malformed) {
                    log(&format!("cannot write to the client: {e}"));
                }
                None
            }
            Event::Frame(Frame::Message(Message::Request(request))) => {
                self.request(request);
                None
            }
            Event::Frame(Frame::Message(Message::Notification(notification))) => {
                if notification.method == note::Exit::METHOD {
                    return Some(self.exit_code());
                }
                self.notification(notification);
                None
            }
            Event::Frame(Frame::Message(Message::Response(response))) => {
                if let Some(error) = response.error {
                    log(&format!("the client refused a request: {}", error.message));
                }
                None
            }
        }
    }

    fn exit_code(&self) -> ExitCode {
        if self.phase == Phase::ShutDown {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }

    fn send(&mut self, message: Message) {
        if let Err(e) = transport::write_message(&mut self.out, &message) {
            log(&format!("cannot write to the client: {e}"));
        }
    }

    fn notify<N: lsp_types::notification::Notification>(&mut self, params: N::Params) {
        if let Err(e) = transport::write_notification(&mut self.out, N::METHOD, &params) {
            log(&format!("cannot write to the client: {e}"));
        }
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        let answer = match (self.phase, method.as_str()) {
            (Phase::AwaitingInitialize, req::Initialize::METHOD) => self.initialize(params),
            (Phase::AwaitingInitialize, _) => Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet".into(),
            )),
            (_, req::Initialize::METHOD) => Err((
                ErrorCode::InvalidRequest,
                "initialize was already called".into(),
            )),
            (Phase::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            )),
            (Phase::Running, req::Shutdown::METHOD) => {
                self.phase = Phase::ShutDown;
                Ok(Value::Null)
            }
            (Phase::Running, req::CodeActionRequest::METHOD) => {
                parse(params).map(|p| to_value(self.code_actions(p)))
            }
            (Phase::Running, req::HoverRequest::METHOD) => {
                parse(params).map(|p| to_value(self.hover(p)))
            }
            (Phase::Running, _) => {
                log(&format!("unknown request `{method}`"));
                Err((
                    ErrorCode::MethodNotFound,
                    format!("artlint does not handle `{method}`"),
                ))
            }
        };
        let response = match answer {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    fn notification(&mut self, notification: Notification) {
        if self.phase != Phase::Running {
            // Before `initialize` notifications are dropped; after `shutdown` only `exit`
            // counts.
            return;
        }
        let Notification { method, params } = notification;
        let handled = match method.as_str() {
            note::Initialized::METHOD => {
                if self.client_watches_files {
                    self.register_config_watcher();
                }
                Ok(())
            }
            note::DidOpenTextDocument::METHOD => parse(params).map(|p| self.did_open(p)),
            note::DidChangeTextDocument::METHOD => parse(params).map(|p| self.did_change(p)),
            note::DidSaveTextDocument::METHOD => parse(params).map(|p| self.did_save(p)),
            note::DidCloseTextDocument::METHOD => parse(params).map(|p| self.did_close(p)),
            note::DidChangeWatchedFiles::METHOD => {
                parse(params).map(|p| self.did_change_watched_files(p))
            }
            _ if method.starts_with("$/") => Ok(()),
            note::DidChangeConfiguration::METHOD => Ok(()),
            _ => {
                log(&format!("ignoring unknown notification `{method}`"));
                Ok(())
            }
        };
        if let Err((_, message)) = handled {
            log(&format!("`{method}`: {message}"));
        }
    }

    fn initialize(&mut self, params: Value) -> Result<Value, (ErrorCode, String)> {
        let params: lsp::InitializeParams = parse(params)?;
        self.client_watches_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if let Some(root) = workspace_root(&params) {
            // Paths are then relative to the root, as `artlint` run there sees them, and the
            // configuration, the site detection and local images resolve as they do there.
            match root
                .canonicalize()
                .and_then(|real| std::env::set_current_dir(&real).map(|()| real))
            {
                Ok(real) => {
                    self.root = Some((root, real));
                    self.resolver = new_resolver();
                    self.start_workspace();
                }
                Err(e) => log(&format!(
                    "workspace root {}: {e}; corpus rules are off",
                    root.display()
                )),
            }
        } else {
            log("no workspace folder: corpus rules are off");
        }
        self.phase = Phase::Running;
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(lsp::PositionEncodingKind::UTF16),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                        lsp::SaveOptions {
                            include_text: Some(false),
                        },
                    )),
                    ..lsp::TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                    ..lsp::CodeActionOptions::default()
                },
            )),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            ..lsp::ServerCapabilities::default()
        };
        Ok(to_value(lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: "artlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }))
    }

    fn start_workspace(&mut self) {
        match workspace::spawn(self.corpus_results.clone()) {
            Ok(jobs) => {
                let _ = jobs.send(workspace::Job::Scan);
                self.workspace = Some(jobs);
            }
            Err(e) => log(&format!(
                "cannot start the corpus thread: {e}; corpus rules are off"
            )),
        }
    }

    /// Ask the client to tell us when an artlint.toml or a post changes on disk (if it can
    /// register watchers).
    fn register_config_watcher(&mut self) {
        let watcher = |pattern: String| lsp::FileSystemWatcher {
            glob_pattern: lsp::GlobPattern::String(pattern),
            kind: None,
        };
        let extensions = crate::config::DEFAULT_EXTENSIONS.join(",");
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![
                watcher(format!("**/{CONFIG_FILE}")),
                watcher(format!("**/*.{{{extensions}}}")),
            ],
        };
        let registration = lsp::Registration {
            id: "artlint-config".into(),
            method: note::DidChangeWatchedFiles::METHOD.into(),
            register_options: Some(to_value(options)),
        };
        self.next_request += 1;
        let id = RequestId::from(self.next_request);
        self.send(Message::Request(Request::new(
            id,
            req::RegisterCapability::METHOD.into(),
            lsp::RegistrationParams {
                registrations: vec![registration],
            },
        )));
    }

    fn did_open(&mut self, params: lsp::DidOpenTextDocumentParams) {
        let item = params.text_document;
        let Some(path) = self.document_path(&item.uri, &item.language_id) else {
            log(&format!(
                "cannot lint {}: not a file path",
                item.uri.as_str()
            ));
            return;
        };
        // The workspace scan read the file on disk: its corpus findings fit this text if the
        // editor opened what is on disk (not a buffer restored with unsaved changes), decoded
        // as artlint decodes it (GBK, UTF-16). A UTF-8 byte-order mark, which the scan keeps
        // and editors drop, shifts every offset: those wait for a save.
        let on_disk = std::fs::read(&path)
            .ok()
            .and_then(|bytes| crate::source::decode(bytes).ok())
            .is_some_and(|loaded| loaded.text == item.text);
        self.documents.insert(
            item.uri.clone(),
            OpenDocument {
                uri: item.uri,
                path,
                version: item.version,
                text: item.text,
                lint: None,
                published: false,
                corpus_of_text: on_disk.then_some(0),
            },
        );
    }

    fn did_change(&mut self, params: lsp::DidChangeTextDocumentParams) {
        let Some(doc) = self.documents.get_mut(&params.text_document.uri) else {
            log(&format!(
                "change to {}, which is not open",
                params.text_document.uri.as_str()
            ));
            return;
        };
        for change in params.content_changes {
            match change.range {
                Some(range) => {
                    let lines = LspLines::new(&doc.text);
                    let span = convert::span_of(&doc.text, &lines, range);
                    doc.text.replace_range(span, &change.text);
                }
                None => doc.text = change.text,
            }
        }
        doc.version = params.text_document.version;
        doc.lint = None;
        doc.published = false;
        doc.corpus_of_text = None;
    }

    fn did_save(&mut self, params: lsp::DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some(text) = params.text
            && let Some(doc) = self.documents.get_mut(&uri)
            && doc.text != text
        {
            doc.text = text;
            doc.lint = None;
            doc.published = false;
            doc.corpus_of_text = None;
        }
        let Some(doc) = self.linted(&uri) else {
            return;
        };
        let facts = doc
            .lint
            .as_ref()
            .and_then(|l| l.outcome.as_ref())
            .and_then(|o| o.facts.clone());
        let path = doc.path.clone();
        self.facts_sent += 1;
        let job = self.facts_sent;
        if let Some(jobs) = &self.workspace {
            let _ = jobs.send(workspace::Job::Facts(path, facts, job));
        }
        // Published again on save (from the last lint when the text did not change), and
        // again with the corpus findings once a pass has this text's facts (findings already
        // of this text stay).
        let facts_applied = self.facts_applied;
        if let Some(doc) = self.documents.get_mut(&uri) {
            doc.published = false;
            if doc.corpus_of_text.is_none_or(|j| j > facts_applied) {
                doc.corpus_of_text = Some(job);
            }
        }
    }

    fn did_close(&mut self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.documents.remove(&uri).is_none() {
            log(&format!("close of {}, which is not open", uri.as_str()));
            return;
        }
        self.notify::<note::PublishDiagnostics>(lsp::PublishDiagnosticsParams::new(
            uri,
            Vec::new(),
            None,
        ));
    }

    fn did_change_watched_files(&mut self, params: lsp::DidChangeWatchedFilesParams) {
        let config_changed = params.changes.iter().any(|change| {
            convert::uri_to_path(&change.uri)
                .is_some_and(|p| p.file_name() == Some(CONFIG_FILE.as_ref()))
        });
        if !config_changed {
            // Posts changed on disk (a checkout, another program): the corpus pass reads them
            // again. Open documents are not among them: their buffer is what counts, and their
            // saves already send their facts.
            let changed: Vec<Arc<Path>> = params
                .changes
                .iter()
                .filter(|change| !self.documents.contains_key(&change.uri))
                .filter_map(|change| self.document_path(&change.uri, ""))
                .collect();
            if !changed.is_empty()
                && let Some(jobs) = &self.workspace
            {
                let _ = jobs.send(workspace::Job::Refresh(changed));
            }
            return;
        }
        log("artlint.toml changed: reloading the configuration");
        self.resolver = new_resolver();
        self.config_problem = None;
        for doc in self.documents.values_mut() {
            doc.lint = None;
            doc.published = false;
        }
        if let Some(jobs) = &self.workspace {
            let _ = jobs.send(workspace::Job::Scan);
        }
    }

    fn corpus_updated(&mut self, findings: workspace::CorpusFindings) {
        for problem in &findings.problems {
            log(&format!("workspace scan: {problem}"));
        }
        let done = format!(
            "corpus pass done ({} files in the workspace)",
            findings.files
        );
        log(&done);
        // Also to the client's log: editors show it, and tests wait for it.
        self.notify::<note::LogMessage>(lsp::LogMessageParams {
            typ: lsp::MessageType::INFO,
            message: format!("artlint: {done}"),
        });
        self.corpus = findings.by_path;
        self.facts_applied = findings.facts_applied;
        for doc in self.documents.values_mut() {
            let corpus = corpus_of(&self.corpus, self.facts_applied, doc);
            // The file's own findings stand: only the corpus part is new.
            if let Some(lint) = &mut doc.lint
                && let Some(outcome) = &lint.outcome
            {
                let reported = outcome.reported(corpus);
                if !same_findings(&reported, &lint.reported) {
                    lint.reported = reported;
                    doc.published = false;
                }
            }
        }
    }

    /// The document, linted if its text changed since the last lint.
    fn linted(&mut self, uri: &Uri) -> Option<&OpenDocument> {
        let needs_lint = self.documents.get(uri)?.lint.is_none();
        if needs_lint {
            let (path, text, corpus) = {
                let doc = self.documents.get(uri)?;
                let corpus = corpus_of(&self.corpus, self.facts_applied, doc).to_vec();
                (doc.path.clone(), doc.text.clone(), corpus)
            };
            let lint = self.lint(path, text, &corpus);
            self.documents.get_mut(uri)?.lint = Some(lint);
        }
        self.documents.get(uri)
    }

    /// Lint `text` as the file `path`, with the corpus pass's findings for it (of this text).
    fn lint(&mut self, path: Arc<Path>, text: String, corpus: &[Diagnostic]) -> Lint {
        let Some(config) = self.config_for(&path) else {
            return Lint {
                outcome: None,
                reported: Vec::new(),
            };
        };
        if !config.wants(&path) {
            return Lint {
                outcome: None,
                reported: Vec::new(),
            };
        }
        let outcome = engine::check_text(path.clone(), text, &config, CheckOptions::default());
        if let Some(error) = &outcome.internal_error {
            log(&format!(
                "{}: internal error: {} (please report this bug)",
                error.path.display(),
                error.message
            ));
        }
        let reported = outcome.reported(corpus);
        Lint {
            outcome: Some(outcome),
            reported,
        }
    }

    fn config_for(&mut self, path: &Path) -> Option<Arc<Config>> {
        let dir = crate::discover::folder_of(path);
        match self.resolver.for_dir(dir) {
            Ok(config) => Some(config),
            Err(e) => {
                let message = format!("artlint: {} ({})", e.message, e.path.display());
                if self.config_problem.as_ref() != Some(&message) {
                    log(&message);
                    self.notify::<note::ShowMessage>(lsp::ShowMessageParams {
                        typ: lsp::MessageType::ERROR,
                        message: message.clone(),
                    });
                    self.config_problem = Some(message);
                }
                None
            }
        }
    }

    /// Lint what changed and send its diagnostics.
    fn publish_pending(&mut self) {
        let mut pending: Vec<Uri> = self
            .documents
            .values()
            .filter(|d| !d.published)
            .map(|d| d.uri.clone())
            .collect();
        // In a stable order, whatever the map's.
        pending.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        for uri in pending {
            let Some(doc) = self.linted(&uri) else {
                continue;
            };
            let params = publish_params(doc);
            if let Some(doc) = self.documents.get_mut(&uri) {
                doc.published = true;
            }
            self.notify::<note::PublishDiagnostics>(params);
        }
    }

    fn code_actions(&mut self, params: lsp::CodeActionParams) -> Vec<lsp::CodeAction> {
        let wants_quickfix = params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|kind| {
                lsp::CodeActionKind::QUICKFIX
                    .as_str()
                    .starts_with(kind.as_str())
            })
        });
        if !wants_quickfix {
            return Vec::new();
        }
        let Some(doc) = self.linted(&params.text_document.uri) else {
            return Vec::new();
        };
        let Some(lint) = &doc.lint else {
            return Vec::new();
        };
        let body_start = lint.outcome.as_ref().map_or(0, |o| o.body_start);
        let html_file = FileKind::from_path(&doc.path) == FileKind::Html;
        let floor = actions::comment_floor(&doc.text, body_start, html_file);
        let lines = LspLines::new(&doc.text);
        let wanted = convert::span_of(&doc.text, &lines, params.range);
        let no_comment = match crate::source::decode(doc.text.clone().into_bytes()) {
            Ok(loaded) => actions::comment_free_zones(&Document::parse(doc.path.clone(), loaded)),
            Err(_) => Vec::new(),
        };
        actions::code_actions(
            &doc.uri,
            &doc.text,
            floor,
            &no_comment,
            &lint.reported,
            &wanted,
        )
    }

    fn hover(&mut self, params: lsp::HoverParams) -> Option<lsp::Hover> {
        let at = params.text_document_position_params;
        let doc = self.linted(&at.text_document.uri)?;
        let lint = doc.lint.as_ref()?;
        let offset = LspLines::new(&doc.text).offset(&doc.text, at.position);
        let (markdown, span) = actions::hover_markdown(&lint.reported, offset)?;
        let map = PositionMap::new(&doc.text, [span.start, span.end]);
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(map.range(&span)),
        })
    }

    /// The path a document is linted under: relative to the workspace root when inside it.
    /// Documents that are not files (an unsaved buffer) get a name with the extension of
    /// their language, so that the configuration lints them.
    fn document_path(&self, uri: &Uri, language: &str) -> Option<Arc<Path>> {
        let Some(path) = convert::uri_to_path(uri) else {
            let name = uri.as_str().rsplit([':', '/']).next().unwrap_or("untitled");
            let extension = match language {
                "html" => "html",
                _ => "md",
            };
            let mut path = PathBuf::from(name);
            if path.extension().is_none() {
                path.set_extension(extension);
            }
            return Some(Arc::from(path.as_path()));
        };
        let relative = self.root.as_ref().and_then(|(named, real)| {
            path.strip_prefix(named)
                .or_else(|_| path.strip_prefix(real))
                .ok()
        });
        Some(Arc::from(relative.unwrap_or(&path)))
    }
}

fn new_resolver() -> ConfigResolver {
    // Without `--config` the resolver only walks up from each folder: it cannot fail here.
    ConfigResolver::new(None, CliOverrides::default())
        .unwrap_or_else(|_| unreachable!("no explicit configuration to load"))
}

fn workspace_root(params: &lsp::InitializeParams) -> Option<PathBuf> {
    let from_folders = params
        .workspace_folders
        .iter()
        .flatten()
        .find_map(|f| convert::uri_to_path(&f.uri));
    #[allow(deprecated)]
    let from_root_uri = || params.root_uri.as_ref().and_then(convert::uri_to_path);
    #[allow(deprecated)]
    let from_root_path = || params.root_path.as_ref().map(PathBuf::from);
    from_folders
        .or_else(from_root_uri)
        .or_else(from_root_path)
        .filter(|p| p.is_dir())
}

/// Whether two lists of diagnostics say the same things at the same places.
/// The corpus pass's findings for `doc`, when they are of its current text (their offsets
/// would point elsewhere in an edited one).
fn corpus_of<'c>(
    corpus: &'c HashMap<Arc<Path>, Vec<Diagnostic>>,
    facts_applied: u64,
    doc: &OpenDocument,
) -> &'c [Diagnostic] {
    match doc.corpus_of_text {
        Some(job) if job <= facts_applied => corpus.get(&doc.path).map_or(&[], Vec::as_slice),
        _ => &[],
    }
}

fn same_findings(a: &[Diagnostic], b: &[Diagnostic]) -> bool {
    let key = |d: &Diagnostic| (d.rule.code, d.span.clone(), d.message.clone(), d.severity);
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| key(x) == key(y))
}

fn publish_params(doc: &OpenDocument) -> lsp::PublishDiagnosticsParams {
    let mut diagnostics = Vec::new();
    if let Some(lint) = &doc.lint {
        let offsets = lint.reported.iter().flat_map(|d| {
            [d.span.start, d.span.end]
                .into_iter()
                .chain(d.labels.iter().flat_map(|l| [l.span.start, l.span.end]))
        });
        let map = PositionMap::new(&doc.text, offsets);
        diagnostics.extend(
            lint.reported
                .iter()
                .map(|d| lsp_diagnostic(d, &map, &doc.uri)),
        );
        if let Some(error) = lint
            .outcome
            .as_ref()
            .and_then(|o| o.internal_error.as_ref())
        {
            diagnostics.push(lsp::Diagnostic {
                range: lsp::Range::default(),
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                code: Some(lsp::NumberOrString::String("internal-error".into())),
                source: Some("artlint".into()),
                message: format!(
                    "artlint failed on this file: {} (please report this bug)",
                    error.message
                ),
                ..lsp::Diagnostic::default()
            });
        }
    }
    lsp::PublishDiagnosticsParams::new(doc.uri.clone(), diagnostics, Some(doc.version))
}

/// A diagnostic as LSP shows it; its labels become related information in the same file.
fn lsp_diagnostic(d: &Diagnostic, map: &PositionMap, uri: &Uri) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|label| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), map.range(&label.span)),
            message: label.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: map.range(&d.span),
        severity: Some(convert::severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.code.into())),
        source: Some("artlint".into()),
        message: match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        },
        related_information: (!related.is_empty()).then_some(related),
        ..lsp::Diagnostic::default()
    }
}

fn parse<P: serde::de::DeserializeOwned>(mut params: Value) -> Result<P, (ErrorCode, String)> {
    encode_uris(&mut params);
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

/// The keys whose values are URIs in the messages the server reads.
const URI_KEYS: &[&str] = &["uri", "rootUri", "targetUri", "scopeUri"];

/// Percent-encode what RFC 3986 does not allow in the URIs of `params` (lsp-types refuses
/// them): Helix and Zed build `file:` URIs with the `url` crate, which leaves `[`, `]`, `|`
/// and `^` of a path as they are, and the LSP spec asks servers not to count on one encoding.
fn encode_uris(params: &mut Value) {
    match params {
        Value::Object(fields) => {
            for (key, value) in fields.iter_mut() {
                match value {
                    Value::String(uri) if URI_KEYS.contains(&key.as_str()) => {
                        if let Some(encoded) = encode_uri(uri) {
                            *uri = encoded;
                        }
                    }
                    _ => encode_uris(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(encode_uris),
        _ => {}
    }
}

/// `uri` with every byte RFC 3986 does not allow outside a host percent-encoded, when it has
/// one (`%` is kept: what is encoded already stays so).
fn encode_uri(uri: &str) -> Option<String> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'()*+,;=%".contains(&b);
    if uri.bytes().all(allowed) {
        return None;
    }
    let mut out = String::with_capacity(uri.len() + 8);
    for b in uri.bytes() {
        if allowed(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

fn to_value(value: impl serde::Serialize) -> Value {
    // Serialising lsp-types' own structures cannot fail (no maps with non-string keys).
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_a_strict_parser_refuses_are_percent_encoded() {
        assert_eq!(
            encode_uri("file:///home/a/[old] b|c^/文.md").as_deref(),
            Some("file:///home/a/%5Bold%5D%20b%7Cc%5E/%E6%96%87.md")
        );
        assert_eq!(encode_uri("file:///home/a/%5Bold%5D/a.md"), None);
        let mut params = serde_json::json!({
            "rootUri": "file:///w/[x]",
            "workspaceFolders": [{"uri": "file:///w/[x]", "name": "[x]"}],
            "textDocument": {"uri": "file:///w/[x]/a.md", "text": "[not a uri]"},
        });
        encode_uris(&mut params);
        assert_eq!(params["rootUri"], "file:///w/%5Bx%5D");
        assert_eq!(params["workspaceFolders"][0]["uri"], "file:///w/%5Bx%5D");
        assert_eq!(params["workspaceFolders"][0]["name"], "[x]");
        assert_eq!(params["textDocument"]["uri"], "file:///w/%5Bx%5D/a.md");
        assert_eq!(params["textDocument"]["text"], "[not a uri]");
        let parsed: lsp::DidOpenTextDocumentParams = parse(serde_json::json!({
            "textDocument": {"uri": "file:///w/[x]/a.md", "languageId": "markdown", "version": 1, "text": ""}
        }))
        .unwrap();
        assert_eq!(
            convert::uri_to_path(&parsed.text_document.uri),
            Some(PathBuf::from("/w/[x]/a.md"))
        );
    }

    /// Output whose first `panics` writes panic: a stand-in for a bug anywhere in the handling
    /// of a message.
    struct PanickyOutput {
        panics: usize,
        written: Vec<u8>,
    }

    impl Write for PanickyOutput {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.panics > 0 {
                self.panics -= 1;
                panic!("simulated bug while answering");
            }
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn request(id: i32, method: &str, params: Value) -> Event {
        Event::Frame(Frame::Message(Message::Request(Request::new(
            RequestId::from(id),
            method.into(),
            params,
        ))))
    }

    #[test]
    fn a_panic_while_handling_a_request_is_answered_and_the_server_goes_on() {
        let (corpus_results, _corpus) = crossbeam_channel::unbounded();
        let output = PanickyOutput {
            panics: 1,
            written: Vec::new(),
        };
        let mut server = Server::new(output, corpus_results);
        // No workspace folder: the test process's current folder is left alone.
        let initialize = request(1, "initialize", serde_json::json!({"capabilities": {}}));
        assert!(server.handle_guarded(initialize).is_none());
        let answer = String::from_utf8_lossy(&server.out.written).into_owned();
        assert!(answer.contains(r#""id":1"#), "{answer}");
        assert!(answer.contains("-32603"), "{answer}");
        assert!(answer.contains("simulated bug"), "{answer}");

        server.out.written.clear();
        let hover = request(
            2,
            "textDocument/hover",
            serde_json::json!({"textDocument": {"uri": "file:///a.md"}, "position": {"line": 0, "character": 0}}),
        );
        assert!(server.handle_guarded(hover).is_none());
        let answer = String::from_utf8_lossy(&server.out.written).into_owned();
        assert!(answer.contains(r#""id":2,"#), "{answer}");
        assert!(answer.contains(r#""result":null"#), "{answer}");
    }
}
