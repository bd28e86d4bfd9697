//! The pulldown-cmark walk: blocks, sections, prose units, links, comments and the blanked
//! prose copy. Everything else in [`super`] is computed from what this produces.

use super::{
    Block, BlockKind, Checkbox, FrontMatter, Link, ProseUnit, Section, SpecDoc, line_starts,
};
use crate::span::Span;
use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

struct Walker<'a> {
    text: &'a str,
    prose: Vec<u8>,
    blocks: Vec<Block>,
    /// Open blocks, innermost last.
    stack: Vec<usize>,
    units: Vec<ProseUnit>,
    /// An inline run being collected: (start, last end, block).
    run: Option<(usize, usize, usize)>,
    headings: Vec<(u8, Span, String)>,
    links: Vec<Link>,
    comments: Vec<Span>,
    front_matter: Option<FrontMatter>,
    /// Inside a code block or metadata block: text there is never prose.
    verbatim: usize,
    list_stack: Vec<(bool, Option<u64>)>,
    table_row: usize,
    table_col: usize,
    in_table_head: bool,
    /// Offsets of `[-]` checkboxes, blanked from prose once the walk is done.
    in_progress_markers: Vec<usize>,
}

pub(super) fn parse(text: &str) -> SpecDoc {
    let mut w = Walker {
        text,
        prose: text
            .bytes()
            .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
            .collect(),
        blocks: Vec::new(),
        stack: Vec::new(),
        units: Vec::new(),
        run: None,
        headings: Vec::new(),
        links: Vec::new(),
        comments: Vec::new(),
        front_matter: None,
        verbatim: 0,
        list_stack: Vec::new(),
        table_row: 0,
        table_col: 0,
        in_table_head: false,
        in_progress_markers: Vec::new(),
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        w.event(event, Span::from(range));
    }
    w.end_run();
    w.finish()
}

impl<'a> Walker<'a> {
    fn open(&mut self, kind: BlockKind, span: Span) {
        self.end_run();
        let parent = self.stack.last().copied();
        self.blocks.push(Block {
            kind,
            span,
            section: None,
            parent,
        });
        self.stack.push(self.blocks.len() - 1);
    }

    fn close(&mut self) {
        self.end_run();
        self.stack.pop();
    }

    fn end_run(&mut self) {
        if let Some((start, end, block)) = self.run.take()
            && end > start
        {
            self.units.push(ProseUnit {
                span: Span::new(start, end),
                block,
            });
        }
    }

    /// Extends the current inline run to cover `span`, starting one if needed.
    fn inline(&mut self, span: Span) {
        let Some(&block) = self.stack.last() else {
            return;
        };
        match &mut self.run {
            Some((_, end, b)) if *b == block => *end = (*end).max(span.end),
            _ => {
                self.end_run();
                self.run = Some((span.start, span.end, block));
            }
        }
    }

    fn heading_text(&mut self, t: &str) {
        let in_heading = matches!(
            self.stack.last().map(|&i| &self.blocks[i].kind),
            Some(BlockKind::Heading { .. })
        );
        if in_heading && let Some((_, _, title)) = self.headings.last_mut() {
            title.push_str(t);
        }
    }

    fn keep_prose(&mut self, span: Span) {
        if let (Some(dst), Some(src)) = (
            self.prose.get_mut(span.range()),
            self.text.as_bytes().get(span.range()),
        ) {
            dst.copy_from_slice(src);
        }
    }

    fn innermost_item(&mut self) -> Option<&mut Block> {
        let idx = *self
            .stack
            .iter()
            .rev()
            .find(|&&i| matches!(self.blocks[i].kind, BlockKind::ListItem { .. }))?;
        self.blocks.get_mut(idx)
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag, span),
            Event::Text(t) => {
                if self.verbatim > 0 {
                    return;
                }
                self.heading_text(&t);
                self.inline(span);
                self.keep_prose(span);
                self.maybe_in_progress_checkbox(span);
            }
            Event::Code(t) => {
                self.heading_text(&t);
                self.inline(span)
            }
            Event::InlineMath(_) | Event::FootnoteReference(_) => self.inline(span),
            Event::InlineHtml(html) | Event::Html(html) => {
                if html.trim_start().starts_with("<!--") {
                    self.comment(span);
                }
                if self.verbatim == 0
                    && matches!(self.stack.last().map(|&i| &self.blocks[i].kind), Some(k) if *k != BlockKind::HtmlBlock)
                {
                    self.inline(span);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.run.is_some() {
                    self.inline(span);
                }
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = self.innermost_item()
                    && let BlockKind::ListItem { checkbox, .. } = &mut item.kind
                {
                    *checkbox = Some(if done { Checkbox::Done } else { Checkbox::Open });
                }
            }
            Event::DisplayMath(_) | Event::Rule => {}
        }
    }

    /// pulldown-cmark knows `[ ]` and `[x]`; Kiro also writes `[-]` for a started task, and
    /// other tools `[~]`. It
    /// arrives as text (often split at the bracket), so it is recognised from the source.
    fn maybe_in_progress_checkbox(&mut self, span: Span) {
        let Some(&top) = self.stack.last() else {
            return;
        };
        let BlockKind::ListItem { checkbox: None, .. } = self.blocks[top].kind else {
            return;
        };
        if !matches!(self.run, Some((start, _, _)) if start == span.start) {
            return;
        }
        let rest = &self.text.as_bytes()[span.start..];
        if !(rest.starts_with(b"[-]") || rest.starts_with(b"[~]"))
            || !matches!(rest.get(3), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
        {
            return;
        }
        if let BlockKind::ListItem { checkbox, .. } = &mut self.blocks[top].kind {
            *checkbox = Some(Checkbox::InProgress);
        }
        self.in_progress_markers.push(span.start);
    }

    fn comment(&mut self, span: Span) {
        // An HTML block may hold several comments; record each.
        let slice = &self.text[span.range()];
        let mut from = 0;
        while let Some(open) = slice[from..].find("<!--") {
            let start = from + open;
            let end = slice[start + 4..]
                .find("-->")
                .map_or(slice.len(), |e| start + 4 + e + 3);
            self.comments
                .push(Span::new(span.start + start, span.start + end));
            from = end;
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        match tag {
            Tag::Paragraph => self.open(BlockKind::Paragraph, span),
            Tag::Heading { level, .. } => {
                self.headings.push((level as u8, span, String::new()));
                self.open(BlockKind::Heading { level: level as u8 }, span)
            }
            Tag::BlockQuote(_) => self.open(BlockKind::BlockQuote, span),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(|s| s.trim_matches(|c| c == '{' || c == '}').to_string()),
                    CodeBlockKind::Indented => None,
                };
                self.open(BlockKind::CodeBlock { lang }, span);
                self.verbatim += 1;
            }
            Tag::HtmlBlock => self.open(BlockKind::HtmlBlock, span),
            Tag::List(first) => {
                self.end_run();
                self.list_stack.push((first.is_some(), first));
            }
            Tag::Item => {
                let depth = self.list_stack.len().saturating_sub(1);
                let (ordered, number) = match self.list_stack.last_mut() {
                    Some((true, Some(n))) => {
                        let current = *n;
                        *n += 1;
                        (true, Some(current))
                    }
                    Some((ordered, _)) => (*ordered, None),
                    None => (false, None),
                };
                self.open(
                    BlockKind::ListItem {
                        ordered,
                        number,
                        checkbox: None,
                        depth,
                    },
                    span,
                )
            }
            Tag::FootnoteDefinition(_) => self.open(BlockKind::FootnoteDefinition, span),
            Tag::Table(_) => {
                self.table_row = 0;
                self.open(BlockKind::Table, span)
            }
            Tag::TableHead => {
                self.in_table_head = true;
                self.table_col = 0;
            }
            Tag::TableRow => self.table_col = 0,
            Tag::TableCell => {
                let kind = BlockKind::TableCell {
                    row: self.table_row,
                    column: self.table_col,
                    header: self.in_table_head,
                };
                self.table_col += 1;
                self.open(kind, span)
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.inline(span);
                let dest = dest_url.to_string();
                let dest_span = self.text[span.range()]
                    .rfind(&format!("]({dest}"))
                    .map(|i| Span::new(span.start + i + 2, span.start + i + 2 + dest.len()))
                    .or_else(|| {
                        let inner = &self.text[span.range()];
                        (inner.starts_with('<') && inner.len() > 2)
                            .then(|| Span::new(span.start + 1, span.end - 1))
                    });
                self.links.push(Link {
                    span,
                    dest,
                    dest_span,
                });
            }
            // pulldown-cmark also takes a `---` … `---` pair further down for a metadata
            // block: only one at the very start (after a BOM) is the document's front matter.
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => {
                if self.text[..span.start]
                    .trim_start_matches('\u{feff}')
                    .is_empty()
                {
                    self.front_matter = Some(FrontMatter::empty(span));
                }
                self.verbatim += 1;
            }
            Tag::MetadataBlock(MetadataBlockKind::PlusesStyle) => self.verbatim += 1,
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => self.inline(span),
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {}
        }
    }

    fn end(&mut self, tag: TagEnd, span: Span) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::HtmlBlock
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::TableCell => self.close(),
            TagEnd::CodeBlock => {
                self.verbatim = self.verbatim.saturating_sub(1);
                self.close()
            }
            TagEnd::List(_) => {
                self.end_run();
                self.list_stack.pop();
            }
            TagEnd::TableHead => {
                self.in_table_head = false;
                self.table_row += 1;
            }
            TagEnd::TableRow => self.table_row += 1,
            TagEnd::MetadataBlock(kind) => {
                self.verbatim = self.verbatim.saturating_sub(1);
                if kind == MetadataBlockKind::YamlStyle
                    && let Some(fm) = &mut self.front_matter
                {
                    fm.parse_body(self.text, span);
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => self.inline(span),
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {}
        }
    }

    fn finish(mut self) -> SpecDoc {
        for at in std::mem::take(&mut self.in_progress_markers) {
            if let Some(marker) = self.prose.get_mut(at..at + 3) {
                marker.copy_from_slice(b"   ");
            }
        }
        // The walk only ever copies whole text events, which lie on char boundaries, over
        // ASCII spaces; the result is valid UTF-8. The fallback keeps that a non-panicking fact.
        let prose = String::from_utf8(self.prose).unwrap_or_else(|e| {
            String::from_utf8_lossy(e.as_bytes())
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect()
        });
        let mut doc = SpecDoc {
            text: self.text.to_string(),
            prose,
            front_matter: self.front_matter,
            sections: Vec::new(),
            blocks: self.blocks,
            units: self.units,
            sentences: Vec::new(),
            statements: Vec::new(),
            ids: Vec::new(),
            links: self.links,
            comments: self.comments,
            line_starts: line_starts(self.text),
        };
        doc.sections = build_sections(&doc, &self.headings);
        for i in 0..doc.blocks.len() {
            doc.blocks[i].section = doc.section_at(doc.blocks[i].span.start);
        }
        doc
    }
}

fn build_sections(doc: &SpecDoc, headings: &[(u8, Span, String)]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(headings.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, (level, heading_span, raw_title)) in headings.iter().enumerate() {
        let (level, heading_span) = (*level, *heading_span);
        let body_end = headings[i + 1..]
            .iter()
            .find(|(l, _, _)| *l <= level)
            .map_or(doc.text.len(), |(_, s, _)| s.start);
        while let Some(&top) = open.last() {
            if sections[top].level >= level {
                open.pop();
            } else {
                break;
            }
        }
        let parent = open.last().copied();
        let title = raw_title.split_whitespace().collect::<Vec<_>>().join(" ");
        let title_span = heading_title_span(doc, heading_span);
        let index = sections.len();
        if let Some(p) = parent {
            sections[p].children.push(index);
        }
        sections.push(Section {
            level,
            title,
            heading_span,
            title_span,
            body_span: Span::new(heading_span.end.min(body_end), body_end),
            parent,
            children: Vec::new(),
        });
        open.push(index);
    }
    sections
}

fn heading_title_span(doc: &SpecDoc, heading: Span) -> Span {
    let prose = doc.prose_slice(heading);
    let lead = prose.len() - prose.trim_start().len();
    let trail = prose.len() - prose.trim_end().len();
    Span::new(
        heading.start + lead,
        (heading.end - trail).max(heading.start + lead),
    )
}
