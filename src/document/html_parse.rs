//! One pass over a body's HTML with html5ever: its tokenizer, then its tree builder (the WHATWG
//! tree-construction algorithm) through a sink of our own. Between the two sits a recorder that
//! finds each token in the source (`html_scan`), so every element, attribute, comment and text
//! run gets an exact byte span. The sink builds no DOM: it records which source element each
//! created node is, where the parser placed it, and every parse error, each tied to the token
//! being processed, so tree-construction errors get exact positions too, where html5ever alone
//! gives only a line number.
//!
//! The same pass fills the [`HtmlIndex`] the boilerplate packs read, so a body is tokenized once.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{Attribute, LocalName, QualName, TokenizerResult, local_name, ns};

use super::html::{
    ATTRS_SCANNED, Attr, Comment, Element, EndTag, HtmlIndex, HtmlProblem, ProblemKind,
    earlier_namesakes,
};
use super::html_scan;
use crate::diagnostic::Span;

/// How a body is read: as the inside of `<body>` (posts) or as a whole document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseMode {
    Fragment,
    Document,
}

/// What the tree builder was given when something happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    /// A start tag: the index of its element.
    Start(usize),
    /// An end tag: the index into `HtmlIndex::end_tags`.
    End(usize),
    Text,
    Other,
    Eof,
}

#[derive(Clone, Copy, Debug)]
struct TokenInfo {
    /// Order of the token in the body.
    seq: u32,
    kind: TokenKind,
}

/// A node handle: only elements created for a source start tag know which one they are.
struct NodeData {
    name: QualName,
    source: Option<usize>,
    template_contents: Option<Handle>,
    /// Where the parser first inserted it: the open element it went into.
    parent: RefCell<Option<Handle>>,
    /// Inserted out of order (foster-parented out of a table, or the like).
    moved: Cell<bool>,
    /// How many elements enclose it where it was inserted.
    depth: Cell<u32>,
}
type Handle = Rc<NodeData>;

struct Sink {
    document: Handle,
    current: Cell<TokenInfo>,
    /// Whether the current start tag already has its element (later ones are the parser's).
    claimed: Cell<bool>,
    current_name: RefCell<Option<LocalName>>,
    errors: RefCell<Vec<(Cow<'static, str>, TokenInfo)>>,
    /// The node made for each source element, by element index.
    nodes: RefCell<Vec<Option<Handle>>>,
    /// The deepest any node was inserted.
    max_depth: Cell<u32>,
}

impl Sink {
    fn node(name: QualName, source: Option<usize>) -> Handle {
        Rc::new(NodeData {
            name,
            source,
            template_contents: None,
            parent: RefCell::new(None),
            moved: Cell::new(false),
            depth: Cell::new(0),
        })
    }

    fn placed(&self, parent: Option<&Handle>, child: &NodeOrText<Handle>, moved: bool) {
        if let NodeOrText::AppendNode(child) = child
            && child.parent.borrow().is_none()
        {
            *child.parent.borrow_mut() = parent.cloned();
            child.moved.set(moved);
            let depth = parent.map_or(0, |p| p.depth.get() + 1);
            child.depth.set(depth);
            self.max_depth.set(self.max_depth.get().max(depth));
        }
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = ();
    type ElemName<'a> = &'a QualName;

    fn finish(self) {}

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.errors.borrow_mut().push((msg, self.current.get()));
    }

    fn get_document(&self) -> Handle {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        &target.name
    }

    fn create_element(
        &self,
        name: QualName,
        _attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> Handle {
        let token = self.current.get();
        let source = match token.kind {
            TokenKind::Start(element)
                if !self.claimed.get()
                    && self.current_name.borrow().as_ref() == Some(&name.local) =>
            {
                self.claimed.set(true);
                Some(element)
            }
            _ => None,
        };
        let template_contents = flags
            .template
            .then(|| Sink::node(QualName::new(None, ns!(), local_name!("")), None));
        let node = Rc::new(NodeData {
            name,
            source,
            template_contents,
            parent: RefCell::new(None),
            moved: Cell::new(false),
            depth: Cell::new(0),
        });
        if let Some(element) = source {
            let mut nodes = self.nodes.borrow_mut();
            if nodes.len() <= element {
                nodes.resize(element + 1, None);
            }
            nodes[element] = Some(node.clone());
        }
        node
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        Sink::node(QualName::new(None, ns!(), local_name!("")), None)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Sink::node(QualName::new(None, ns!(), local_name!("")), None)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.placed(Some(parent), &child, false);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        _prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let parent = element.parent.borrow().clone();
        self.placed(parent.as_ref(), &child, true);
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        target
            .template_contents
            .clone()
            .unwrap_or_else(|| target.clone())
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let parent = sibling.parent.borrow().clone();
        self.placed(parent.as_ref(), &new_node, true);
    }

    fn add_attrs_if_missing(&self, _target: &Handle, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, _target: &Handle) {}

    fn reparent_children(&self, _node: &Handle, _new_parent: &Handle) {}
}

/// What the tree pass learned, by element and end-tag index.
#[derive(Default)]
struct TreeFacts {
    /// The token number of each element's start tag.
    element_seq: Vec<u32>,
    /// The innermost element open (by name matching) when each element started.
    naive_parent: Vec<Option<usize>>,
    /// The end tag matched to each element by name, if any.
    element_end: Vec<Option<usize>>,
    /// The token number of each end tag.
    end_seq: Vec<u32>,
    /// The element each end tag was matched to by name, if any.
    end_owner: Vec<Option<usize>>,
    /// Whether the end tag came after another end tag had closed its element (`</i>` in
    /// `<b><i></b></i>`).
    end_late: Vec<bool>,
}

/// How the text after the current tag is read (set by the tree builder).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Data,
    /// `<textarea>`, `<title>`: character references are decoded, tags are not.
    Rcdata,
    /// `<script>`, `<style>`, …: nothing is decoded.
    Raw,
}

/// The recording state, behind a `RefCell` because html5ever's sinks take `&self`.
struct State {
    index: HtmlIndex,
    /// Where the next token may start (relative to the source).
    cursor: usize,
    /// Where the pending text began, if text tokens came since the last other token.
    text_start: Option<usize>,
    text_kind: TextKind,
    /// Start tags waiting for their end tag, matched by name (the packs' simple view).
    open_by_name: Vec<(usize, LocalName)>,
    /// How many of `open_by_name` have each name: an end tag with none open need not search
    /// (unclosed `<b>`s pile up by the thousand in a broken post).
    open_count: HashMap<LocalName, u32>,
    /// Elements closed by an enclosing element's end tag, which may still get their own.
    dropped: Vec<usize>,
    seq: u32,
    saw_doctype: bool,
    tree: TreeFacts,
    /// Problems the scans found (tokenizer-level).
    scanned: Vec<HtmlProblem>,
    /// Set when elements nest deeper than [`MAX_TREE_DEPTH`]: tree construction is quadratic in
    /// the depth, so it stops there, and only the tokenizer-level checks go on.
    tree_off: bool,
}

/// How deep elements may nest before tree construction is given up (no real post comes near).
const MAX_TREE_DEPTH: u32 = 1024;

/// How far back a late end tag looks for the element an earlier end tag closed, and how many
/// elements a misnesting is searched in: misnestings are local, and a bound keeps broken
/// megabyte-long lines linear.
const MISNESTING_REACH: usize = 64;

/// Sits between html5ever's tokenizer and its tree builder: finds each token in the source,
/// indexes it, and passes it on.
struct Recorder<'s> {
    source: &'s str,
    base: usize,
    builder: TreeBuilder<Handle, Sink>,
    state: RefCell<State>,
}

impl Recorder<'_> {
    fn abs(&self, span: Span) -> Span {
        self.base + span.start..self.base + span.end
    }

    /// The text since the last token ends at `end`: index it and check it.
    fn flush_text(&self, state: &mut State, end: usize, at_eof: bool) {
        let Some(start) = state.text_start.take() else {
            return;
        };
        let end = end.max(start);
        let bytes = &self.source.as_bytes()[start..end];
        if !bytes.iter().all(u8::is_ascii_whitespace) {
            let span = self.abs(start..end);
            state.index.texts.push(span);
        }
        if state.text_kind != TextKind::Raw {
            let mut found = Vec::new();
            html_scan::check_text(self.source.as_bytes(), start..end, true, at_eof, &mut found);
            if state.text_kind == TextKind::Rcdata {
                found.retain(|p| p.kind == ProblemKind::BadCharacterReference);
            }
            state
                .scanned
                .extend(found.into_iter().map(|p| self.shifted(p)));
        }
    }

    fn shifted(&self, mut problem: HtmlProblem) -> HtmlProblem {
        problem.span = self.abs(problem.span);
        problem
    }

    /// Find `tag` in the source from the cursor, end the text before it, scan it and move the
    /// cursor past it; its first malformation is reported on the whole tag.
    fn locate_tag(
        &self,
        state: &mut State,
        tag: &Tag,
        end_tag: bool,
    ) -> (Span, html_scan::ScannedTag) {
        let src = self.source.as_bytes();
        let lt = html_scan::find_tag(src, state.cursor, &tag.name, end_tag).unwrap_or(state.cursor);
        self.flush_text(state, lt, false);
        let scanned = html_scan::scan_tag(src, lt);
        state.cursor = scanned.end.max(lt);
        let span = self.abs(lt..state.cursor);
        if let Some(issue) = scanned.issues.first() {
            let mut problem = HtmlProblem::new(ProblemKind::MalformedTag, span.clone());
            problem.detail = issue;
            state.scanned.push(problem);
        }
        (span, scanned)
    }

    fn start_tag(&self, state: &mut State, tag: &Tag) -> usize {
        let src = self.source.as_bytes();
        let (start_tag, scanned) = self.locate_tag(state, tag, false);
        let names: Vec<String> = (scanned.attrs.iter())
            .map(|a| self.source[a.name.clone()].to_ascii_lowercase())
            .collect();
        let earlier = earlier_namesakes(&names.iter().map(String::as_str).collect::<Vec<_>>());
        // The tokenizer keeps the first attribute of each name, decoded.
        let decoded_by_name: Option<HashMap<&str, &StrTendril>> = (tag.attrs.len() > ATTRS_SCANNED)
            .then(|| {
                (tag.attrs.iter().rev())
                    .map(|t| (&*t.name.local, &t.value))
                    .collect()
            });
        let decoded = |name: &str| match &decoded_by_name {
            Some(by_name) => by_name.get(name).copied(),
            None => (tag.attrs.iter())
                .find(|t| *t.name.local == *name)
                .map(|t| &t.value),
        };
        let mut attrs = Vec::with_capacity(scanned.attrs.len());
        for ((a, name), earlier) in scanned.attrs.iter().zip(names).zip(earlier) {
            let value = match decoded(&name) {
                Some(value) if earlier.is_none() => value.to_string(),
                _ => a
                    .value
                    .clone()
                    .map(|v| self.source[v].to_string())
                    .unwrap_or_default(),
            };
            if let Some(v) = &a.value
                && src[v.clone()].contains(&b'&')
            {
                let mut found = Vec::new();
                html_scan::check_char_refs(src, v.clone(), true, &mut found);
                state
                    .scanned
                    .extend(found.into_iter().map(|p| self.shifted(p)));
            }
            attrs.push(Attr {
                name,
                value,
                name_span: self.abs(a.name.clone()),
                value_span: a.value.clone().map(|v| self.abs(v)),
                full: self.abs(a.full.clone()),
            });
        }
        let element = Element {
            name: tag.name.to_string(),
            attrs,
            start_tag,
            end_tag: None,
            self_closing: tag.self_closing,
        };
        let void = tag.self_closing || super::html::is_void(&element.name);
        state.index.elements.push(element);
        let index = state.index.elements.len() - 1;
        state
            .tree
            .naive_parent
            .push(state.open_by_name.last().map(|(i, _)| *i));
        state.tree.element_end.push(None);
        state.tree.element_seq.push(state.seq + 1);
        if !void {
            *state.open_count.entry(tag.name.clone()).or_default() += 1;
            state.open_by_name.push((index, tag.name.clone()));
        }
        index
    }

    fn end_tag(&self, state: &mut State, tag: &Tag) -> usize {
        let (span, _) = self.locate_tag(state, tag, true);
        let name = tag.name.to_string();
        let index = state.index.end_tags.len();
        let mut owner = None;
        let mut late = false;
        let elements = &mut state.index.elements;
        let is_open = state.open_count.get(&tag.name).is_some_and(|n| *n > 0);
        // Searching only when one is open keeps this linear: what the search passes is closed.
        if let Some(depth) = is_open
            .then(|| state.open_by_name.iter().rposition(|(_, n)| *n == tag.name))
            .flatten()
        {
            let element = state.open_by_name[depth].0;
            // Elements left open inside are closed with it; their own end tag may follow.
            for (closed, name) in state.open_by_name.drain(depth..) {
                if let Some(n) = state.open_count.get_mut(&name) {
                    *n -= 1;
                }
                if closed != element {
                    state.dropped.push(closed);
                }
            }
            elements[element].end_tag = Some(span.clone());
            state.tree.element_end[element] = Some(index);
            owner = Some(element);
        } else if let Some(at) = state
            .dropped
            .iter()
            .rev()
            .take(MISNESTING_REACH)
            .position(|i| elements[*i].name == name)
            .map(|back| state.dropped.len() - 1 - back)
        {
            let element = state.dropped.remove(at);
            elements[element].end_tag = Some(span.clone());
            state.tree.element_end[element] = Some(index);
            owner = Some(element);
            late = true;
        }
        state.tree.end_owner.push(owner);
        state.tree.end_late.push(late);
        state.tree.end_seq.push(state.seq + 1);
        state.index.end_tags.push(EndTag { name, span });
        index
    }

    fn comment(&self, state: &mut State) {
        let src = self.source.as_bytes();
        let Some(lt) = html_scan::find_comment(src, state.cursor) else {
            return;
        };
        self.flush_text(state, lt, false);
        let scanned = html_scan::scan_comment(src, lt);
        state.cursor = scanned.span.end;
        if scanned.doctype {
            state.saw_doctype = true;
            return;
        }
        for (detail, span) in scanned.issues {
            let kind = if detail == "unexpected-question-mark-instead-of-tag-name" {
                ProblemKind::MalformedTag
            } else {
                ProblemKind::MalformedComment
            };
            let mut problem = HtmlProblem::new(kind, self.abs(span));
            problem.detail = detail;
            state.scanned.push(problem);
        }
        state.index.comments.push(Comment {
            span: self.abs(scanned.span),
            text: self.abs(scanned.text),
        });
    }
}

impl TokenSink for Recorder<'_> {
    type Handle = Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Handle> {
        let kind = {
            let mut state = self.state.borrow_mut();
            let state = &mut *state;
            match &token {
                // The scans report the tokenizer's errors, with positions.
                Token::ParseError(_) => return TokenSinkResult::Continue,
                Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                    TokenKind::Start(self.start_tag(state, tag))
                }
                Token::TagToken(tag) => TokenKind::End(self.end_tag(state, tag)),
                Token::CharacterTokens(_) | Token::NullCharacterToken => {
                    if state.text_start.is_none() {
                        state.text_start = Some(state.cursor);
                    }
                    TokenKind::Text
                }
                Token::CommentToken(_) | Token::DoctypeToken(_) => {
                    self.comment(state);
                    TokenKind::Other
                }
                Token::EOFToken => {
                    if state.text_start.is_none() && state.cursor < self.source.len() {
                        state.text_start = Some(state.cursor);
                    }
                    self.flush_text(state, self.source.len(), true);
                    TokenKind::Eof
                }
            }
        };
        let seq = {
            let mut state = self.state.borrow_mut();
            if state.tree_off {
                return TokenSinkResult::Continue;
            }
            state.seq += 1;
            state.seq
        };
        let sink = &self.builder.sink;
        sink.current.set(TokenInfo { seq, kind });
        sink.claimed.set(false);
        if let Token::TagToken(tag) = &token {
            *sink.current_name.borrow_mut() = Some(tag.name.clone());
        }
        let was_start = matches!(kind, TokenKind::Start(_));
        let result = self.builder.process_token(token, line_number);
        let mut state = self.state.borrow_mut();
        if self.builder.sink.max_depth.get() > MAX_TREE_DEPTH {
            // Tree construction costs grow with the depth; past this, only the tokenizer-level
            // checks go on, and the element that went too deep is reported.
            state.tree_off = true;
            if let TokenKind::Start(element) = kind {
                let element = &state.index.elements[element];
                let problem = HtmlProblem::new(ProblemKind::TooDeep, element.start_tag.clone())
                    .named(&element.name);
                state.scanned.push(problem);
            }
        }
        match &result {
            TokenSinkResult::RawData(RawKind::Rcdata) => state.text_kind = TextKind::Rcdata,
            TokenSinkResult::RawData(_) | TokenSinkResult::Plaintext => {
                state.text_kind = TextKind::Raw
            }
            _ if !was_start && kind != TokenKind::Text => state.text_kind = TextKind::Data,
            _ => {}
        }
        if was_start && matches!(result, TokenSinkResult::Continue) {
            state.text_kind = TextKind::Data;
        }
        result
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Parse `text[range]` once: the index with spans, and the problems found.
pub fn parse(text: &str, range: Span, mode: ParseMode) -> HtmlIndex {
    let Some(source) = text.get(range.clone()) else {
        return HtmlIndex::default();
    };
    if mode == ParseMode::Fragment && memchr::memchr2(b'<', b'&', source.as_bytes()).is_none() {
        return plain_text(source, range);
    }
    parse_markup(source, range, mode)
}

/// A fragment without `<` or `&` is one run of text: what the full parse would find, without
/// building a tokenizer and a tree for it (a third of Markdown posts have no markup at all).
fn plain_text(source: &str, range: Span) -> HtmlIndex {
    let mut index = HtmlIndex::default();
    if !source.bytes().all(|b| b.is_ascii_whitespace()) {
        index.texts.push(range);
    }
    index
}

fn parse_markup(source: &str, range: Span, mode: ParseMode) -> HtmlIndex {
    let sink = Sink {
        document: Sink::node(QualName::new(None, ns!(), local_name!("")), None),
        current: Cell::new(TokenInfo {
            seq: 0,
            kind: TokenKind::Other,
        }),
        claimed: Cell::new(false),
        current_name: RefCell::new(None),
        errors: RefCell::new(Vec::new()),
        nodes: RefCell::new(Vec::new()),
        max_depth: Cell::new(0),
    };
    let opts = TreeBuilderOpts {
        scripting_enabled: false,
        ..TreeBuilderOpts::default()
    };
    let builder = match mode {
        ParseMode::Document => TreeBuilder::new(sink, opts),
        ParseMode::Fragment => {
            let context = Sink::node(QualName::new(None, ns!(html), local_name!("body")), None);
            TreeBuilder::new_for_fragment(sink, context, None, opts)
        }
    };
    let recorder = Recorder {
        source,
        base: range.start,
        builder,
        state: RefCell::new(State {
            index: HtmlIndex::default(),
            cursor: 0,
            text_start: None,
            text_kind: TextKind::Data,
            open_by_name: Vec::new(),
            open_count: HashMap::default(),
            dropped: Vec::new(),
            seq: 0,
            saw_doctype: false,
            tree: TreeFacts::default(),
            scanned: Vec::new(),
            tree_off: false,
        }),
    };
    let tokenizer = Tokenizer::new(recorder, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(source));
    // A `</script>` pauses the tokenizer for the script to run; there is none to run here.
    while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
    tokenizer.end();
    let recorder = tokenizer.sink;
    let State {
        mut index,
        saw_doctype,
        tree,
        scanned,
        tree_off,
        ..
    } = recorder.state.into_inner();
    let errors = recorder.builder.sink.errors.take();
    let nodes = recorder.builder.sink.nodes.take();
    let mut problems = if tree_off {
        Vec::new()
    } else {
        classify_tree(&index, &tree, &nodes, &errors)
    };
    problems.extend(scanned);
    if mode == ParseMode::Document && !saw_doctype {
        let at = range.start + (source.len() - source.trim_start().len());
        problems.push(HtmlProblem::new(ProblemKind::MissingDoctype, at..at));
    }
    problems.sort_by_key(|p| (p.span.start, p.span.end, p.kind));
    problems.dedup_by(|a, b| a.kind == b.kind && a.span == b.span);
    index.problems = problems;
    index
}

/// html5ever alone, with its own tokenizer, into the same recording sink: the floor any HTML
/// check must pay. Returns the number of parse errors. For the benchmark.
#[doc(hidden)]
pub fn html5ever_only(body: &str) -> usize {
    use html5ever::tendril::TendrilSink;
    let sink = Sink {
        document: Sink::node(QualName::new(None, ns!(), local_name!("")), None),
        current: Cell::new(TokenInfo {
            seq: 0,
            kind: TokenKind::Other,
        }),
        claimed: Cell::new(false),
        current_name: RefCell::new(None),
        errors: RefCell::new(Vec::new()),
        nodes: RefCell::new(Vec::new()),
        max_depth: Cell::new(0),
    };
    let errors = std::rc::Rc::new(Cell::new(0usize));
    let parser = html5ever::parse_fragment(
        CountingSink {
            inner: sink,
            errors: errors.clone(),
        },
        html5ever::ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    );
    parser.one(body);
    errors.get()
}

/// Counts errors for [`html5ever_only`].
struct CountingSink {
    inner: Sink,
    errors: std::rc::Rc<Cell<usize>>,
}

impl TreeSink for CountingSink {
    type Handle = Handle;
    type Output = ();
    type ElemName<'a> = &'a QualName;
    fn finish(self) {
        self.errors.set(self.inner.errors.borrow().len());
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> Handle {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        &target.name
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(&self, e: &Handle, p: &Handle, child: NodeOrText<Handle>) {
        self.inner.append_based_on_parent_node(e, p, child)
    }
    fn append_doctype_to_document(&self, a: StrTendril, b: StrTendril, c: StrTendril) {
        self.inner.append_doctype_to_document(a, b, c)
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }
    fn set_quirks_mode(&self, _mode: QuirksMode) {}
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, _target: &Handle, _attrs: Vec<Attribute>) {}
    fn remove_from_parent(&self, _target: &Handle) {}
    fn reparent_children(&self, _node: &Handle, _new_parent: &Handle) {}
}

/// Elements whose end tag may be left out (the parser closes them without complaint).
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
];

/// Turn the tree builder's errors into problems, each placed on the tag that caused it. The
/// parser's tree says what really happened: an element that the source nests inside another but
/// the parser did not was closed early, by the tag that starts it.
fn classify_tree(
    index: &HtmlIndex,
    facts: &TreeFacts,
    nodes: &[Option<Handle>],
    errors: &[(Cow<'static, str>, TokenInfo)],
) -> Vec<HtmlProblem> {
    let elements = &index.elements;
    let n = elements.len();
    let node = |i: usize| nodes.get(i).and_then(Option::as_ref);
    let mut error_seqs: Vec<u32> = errors.iter().map(|(_, t)| t.seq).collect();
    error_seqs.dedup();
    let error_at = |seq: u32| error_seqs.binary_search(&seq).is_ok();
    let optional = |i: usize| OPTIONAL_END.contains(&elements[i].name.as_str());

    // 1. Which elements were closed early, and by which start tag.
    let mut closed_by: Vec<Option<usize>> = vec![None; n];
    for y in 0..n {
        let (Some(mut x), Some(y_node)) = (facts.naive_parent[y], node(y)) else {
            continue;
        };
        if y_node.moved.get() {
            continue;
        }
        // Is `x` among the tree ancestors of `y`? Ancestors start earlier than their
        // descendants, so the walk stops at the first one that starts before `x`.
        let inside = |x: usize| {
            let mut at = y_node.parent.borrow().clone();
            while let Some(a) = at {
                match a.source {
                    Some(s) if s == x => return true,
                    Some(s) if s < x => return false,
                    _ => {}
                }
                at = a.parent.borrow().clone();
            }
            false
        };
        loop {
            // Tags the parser ignored (a second `<body>`) hold nothing.
            if node(x).is_some() {
                if inside(x) || closed_by[x].is_some() {
                    break;
                }
                closed_by[x] = Some(y);
            }
            match facts.naive_parent[x] {
                Some(p) => x = p,
                None => break,
            }
        }
    }

    // 2. Elements closed early with an error (a stray end tag later, or the closing tag itself).
    let mut problems: Vec<HtmlProblem> = Vec::new();
    let mut claimed_ends = vec![false; index.end_tags.len()];
    let mut by_closer: HashMap<usize, usize> = Default::default();
    let mut reported = vec![false; n];
    for x in 0..n {
        let Some(y) = closed_by[x] else {
            continue;
        };
        let end = facts.element_end[x];
        let end_error = end.is_some_and(|e| error_at(facts.end_seq[e]));
        if !(error_at(facts.element_seq[y]) || end_error) {
            continue;
        }
        reported[x] = true;
        if let Some(e) = end.filter(|_| end_error) {
            claimed_ends[e] = true;
        }
        let stray = end
            .filter(|_| end_error)
            .map(|e| index.end_tags[e].span.clone());
        match by_closer.get(&y) {
            // The same tag closed several: name the outermost, which opened first.
            Some(&p) => {
                let problem = &mut problems[p];
                if problem.stray_end.is_none() {
                    problem.stray_end = stray;
                }
            }
            None => {
                let mut problem =
                    HtmlProblem::new(ProblemKind::ImplicitlyClosed, elements[y].start_tag.clone())
                        .named(&elements[y].name)
                        .other(&elements[x].name, elements[x].start_tag.clone());
                problem.stray_end = stray;
                by_closer.insert(y, problems.len());
                problems.push(problem);
            }
        }
    }

    // 3. Elements never closed.
    for x in 0..n {
        let e = &elements[x];
        if e.end_tag.is_some() || reported[x] || optional(x) || node(x).is_none() {
            continue;
        }
        if super::html::is_void(&e.name) {
            continue;
        }
        let kind = if e.name == "div" {
            ProblemKind::UnbalancedDiv
        } else {
            ProblemKind::UnclosedElement
        };
        reported[x] = true;
        let mut problem = HtmlProblem::new(kind, e.start_tag.clone()).named(&e.name);
        if e.self_closing {
            // `<div/>` opens a `<div>`: the slash means nothing in HTML.
            problem.detail = "self-closing";
        }
        problems.push(problem);
    }

    // 4. End tags the parser could not use.
    let mut seen = 0u32;
    for (message, token) in errors {
        let TokenKind::End(end) = token.kind else {
            continue;
        };
        if token.seq == seen {
            continue;
        }
        seen = token.seq;
        if claimed_ends[end] {
            continue;
        }
        let end_tag = &index.end_tags[end];
        if facts.end_late[end] {
            // The end tag of an element an earlier end tag closed: part of that misnesting.
            continue;
        }
        if let Some(owner) = facts.end_owner[end] {
            // It closes its element, but something opened inside was still open. When that
            // element is never closed, it is reported already.
            let left_open = (owner + 1..n)
                .take(MISNESTING_REACH)
                .take_while(|i| elements[*i].start_tag.start < end_tag.span.start)
                .any(|i| reported[i]);
            if left_open && !message.starts_with("Formatting element") {
                continue;
            }
            let mut problem =
                HtmlProblem::new(ProblemKind::Misnested, end_tag.span.clone()).named(&end_tag.name);
            if let Some(inner) = innermost_open_inside(index, owner, end_tag.span.start) {
                let inner = &elements[inner];
                problem = problem.other(&inner.name, inner.start_tag.clone());
            }
            problems.push(problem);
            continue;
        }
        let kind = if end_tag.name == "div" {
            ProblemKind::UnbalancedDiv
        } else {
            ProblemKind::StrayEndTag
        };
        problems.push(HtmlProblem::new(kind, end_tag.span.clone()).named(&end_tag.name));
    }
    problems
}

/// The innermost element opened inside `outer` and still open at `at` (looking at most a few
/// dozen elements back: misnestings are local).
fn innermost_open_inside(index: &HtmlIndex, outer: usize, at: usize) -> Option<usize> {
    let elements = &index.elements;
    let last = elements.partition_point(|e| e.start_tag.start < at);
    (outer + 1..last).rev().take(MISNESTING_REACH).find(|i| {
        let e = &elements[*i];
        !super::html::is_void(&e.name) && e.end_tag.as_ref().is_none_or(|t| t.start > at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of a fragment, as (kind, reported text, other element's name).
    fn problems(html: &str) -> Vec<(ProblemKind, &str, String)> {
        parse(html, 0..html.len(), ParseMode::Fragment)
            .problems
            .into_iter()
            .map(|p| {
                let other = p.other.map(|o| o.0).unwrap_or_default();
                (p.kind, &html[p.span], other)
            })
            .collect()
    }

    type Expected<'a> = &'a [(ProblemKind, &'a str, &'a str)];

    #[test]
    fn each_error_is_placed_on_the_tag_that_caused_it() {
        use ProblemKind::*;
        let cases: &[(&str, Expected)] = &[
            ("<p>a</span>b</p>", &[(StrayEndTag, "</span>", "")]),
            ("<b><i>x</b></i>", &[(Misnested, "</b>", "i")]),
            ("<p>a<div>b</div></p>", &[(ImplicitlyClosed, "<div>", "p")]),
            (
                "<a href=1>x<a href=2>y</a></a>",
                &[(ImplicitlyClosed, "<a href=2>", "a")],
            ),
            ("<div><span>x</div>", &[(UnclosedElement, "<span>", "")]),
            ("<div>open", &[(UnbalancedDiv, "<div>", "")]),
            ("</div><div></div>", &[(UnbalancedDiv, "</div>", "")]),
            ("a < b", &[(UnescapedLessThan, "<", "")]),
            ("<!-- open", &[(MalformedComment, "<!--", "")]),
            ("<p>ok<!-- a --!> c</p>", &[(MalformedComment, "--!>", "")]),
            (
                "<p>中文 &nbsp 文</p>",
                &[(BadCharacterReference, "&nbsp", "")],
            ),
            (
                "&foo; &#0; &amp",
                &[
                    (BadCharacterReference, "&foo;", ""),
                    (BadCharacterReference, "&#0;", ""),
                    (BadCharacterReference, "&amp", ""),
                ],
            ),
            (
                "<?xml version=\"1.0\"?><x>",
                &[
                    (MalformedTag, "<?xml version=\"1.0\"?>", ""),
                    (UnclosedElement, "<x>", ""),
                ],
            ),
            (
                "<p><span>中文<div>块</div></span></p>",
                &[(ImplicitlyClosed, "<div>", "p")],
            ),
            ("<ul><li>a<li>b</ul><p>a<p>b", &[]),
            ("<script>if (a < b) { x = '</div>' }</script><p>x</p>", &[]),
        ];
        for (html, expected) in cases {
            let found = problems(html);
            let expected: Vec<(ProblemKind, &str, String)> = expected
                .iter()
                .map(|(k, t, o)| (*k, *t, o.to_string()))
                .collect();
            assert_eq!(found, expected, "{html}");
        }
    }
}
