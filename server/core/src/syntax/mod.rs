//! The document model: Markdown text → [`SpecDoc`], every part located by a byte [`Span`].
//!
//! Owns: sections, blocks, prose units and sentences, requirement ids, requirement statements
//! (normative keywords, EARS clauses), links, HTML comments and YAML front matter.
//!
//! The central device is [`SpecDoc::prose`]: a copy of the text, byte for byte the same
//! length, in which everything that is not prose (code blocks, inline code, HTML and comments,
//! link targets, front matter, Markdown punctuation) is blanked to spaces. Rules search `prose`
//! and their matches are already spans of the source, and no rule can ever flag code.

pub mod ears;
mod front_matter;
mod ids;
mod markdown;
mod sentences;
mod statements;

pub use ears::{Ears, EarsPattern};
pub use front_matter::FrontMatter;
pub use ids::{IdKind, IdOccurrence, IdPatterns, IdRole, normalize};
pub use statements::{Keyword, KeywordStrength, Statement};

use crate::span::Span;

/// Checkbox state of a task-list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checkbox {
    /// `[ ]`
    Open,
    /// `[x]` or `[X]`
    Done,
    /// `[-]` (Kiro's notation) or `[~]`: started, in progress.
    InProgress,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading {
        level: u8,
    },
    ListItem {
        ordered: bool,
        /// The item's number in an ordered list.
        number: Option<u64>,
        checkbox: Option<Checkbox>,
        /// 0 for a top-level item.
        depth: usize,
    },
    Table,
    TableCell {
        row: usize,
        column: usize,
        header: bool,
    },
    BlockQuote,
    CodeBlock {
        lang: Option<String>,
    },
    HtmlBlock,
    FootnoteDefinition,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The whole block, nested content included.
    pub span: Span,
    /// Innermost section that holds the block.
    pub section: Option<usize>,
    /// Innermost enclosing block (a list item, block quote or table).
    pub parent: Option<usize>,
}

/// A heading and everything under it up to the next heading of the same or a higher level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 1 to 6.
    pub level: u8,
    /// The heading text with Markdown markup removed and white space folded.
    pub title: String,
    /// The heading line(s).
    pub heading_span: Span,
    /// The heading's text within `heading_span`.
    pub title_span: Span,
    /// From the end of the heading to the start of the next heading of the same or higher level.
    pub body_span: Span,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

/// A run of inline prose inside one block: a paragraph, a heading, a table cell, or the text
/// that a tight list item holds before its nested content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProseUnit {
    pub span: Span,
    pub block: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index into [`SpecDoc::units`].
    pub unit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    pub dest: String,
    /// Where the destination stands in the source, when it is written there (not a reference).
    pub dest_span: Option<Span>,
}

/// A parsed Markdown specification document.
#[derive(Debug, Clone)]
pub struct SpecDoc {
    pub text: String,
    /// `text` with every non-prose byte blanked; see the module docs.
    pub prose: String,
    pub front_matter: Option<FrontMatter>,
    pub sections: Vec<Section>,
    pub blocks: Vec<Block>,
    pub units: Vec<ProseUnit>,
    pub sentences: Vec<Sentence>,
    pub statements: Vec<Statement>,
    pub ids: Vec<IdOccurrence>,
    pub links: Vec<Link>,
    /// HTML comments, `<!-- … -->`, inline or as blocks.
    pub comments: Vec<Span>,
    line_starts: Vec<usize>,
}

/// Units per thread task when a large document's sentences and statements are found.
const UNITS_PER_TASK: usize = 4096;

/// What parsing needs besides the text.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions<'a> {
    pub id_patterns: &'a IdPatterns,
}

impl Default for ParseOptions<'static> {
    fn default() -> Self {
        ParseOptions {
            id_patterns: IdPatterns::builtin(),
        }
    }
}

impl SpecDoc {
    pub fn parse(text: &str, options: ParseOptions<'_>) -> SpecDoc {
        SpecDoc::parse_outline(text, options).with_sentences()
    }

    /// Structure, prose units and ids, without sentences and statements: what the workspace
    /// index needs of most documents, at a fraction of the cost. [`SpecDoc::with_sentences`]
    /// completes it where sentences are wanted.
    pub fn parse_outline(text: &str, options: ParseOptions<'_>) -> SpecDoc {
        let mut doc = markdown::parse(text);
        doc.ids = ids::find(&doc, options.id_patterns);
        doc
    }

    /// An outline with its sentences and statements filled in: the same as [`SpecDoc::parse`].
    pub fn with_sentences(mut self) -> SpecDoc {
        if self.sentences.is_empty() {
            (self.sentences, self.statements) = self.sentences_and_statements();
        }
        self
    }

    /// Sentences and statements, unit by unit. Each unit's depend on that unit alone, so a
    /// large document's units are shared out among threads in runs of [`UNITS_PER_TASK`].
    fn sentences_and_statements(&self) -> (Vec<Sentence>, Vec<Statement>) {
        use rayon::prelude::*;
        let n = self.units.len();
        let work = |from: usize| {
            let to = (from + UNITS_PER_TASK).min(n);
            let units = &self.units[from..to];
            let range = Span::new(
                units.iter().map(|u| u.span.start).min().unwrap_or(0),
                units.iter().map(|u| u.span.end).max().unwrap_or(0),
            );
            let keywords = statements::keyword_matches(self, range);
            let mut sentences = Vec::new();
            let mut found = Vec::new();
            for ui in from..to {
                let first = sentences.len();
                sentences::of_unit(self, ui, &mut sentences);
                statements::of_unit(self, ui, &sentences[first..], &keywords, &mut found);
            }
            (sentences, found)
        };
        let runs: Vec<(Vec<Sentence>, Vec<Statement>)> = if n > UNITS_PER_TASK {
            (0..n)
                .step_by(UNITS_PER_TASK)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(work)
                .collect()
        } else if n > 0 {
            vec![work(0)]
        } else {
            Vec::new()
        };
        let mut sentences = Vec::with_capacity(runs.iter().map(|r| r.0.len()).sum());
        let mut found = Vec::with_capacity(runs.iter().map(|r| r.1.len()).sum());
        for (s, f) in runs {
            sentences.extend(s);
            found.extend(f);
        }
        (sentences, found)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    pub fn prose_slice(&self, span: Span) -> &str {
        self.prose.get(span.range()).unwrap_or("")
    }

    /// Innermost section containing `offset`: the last section that starts at or before it,
    /// or the nearest of its ancestors that still extends over it.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        let last = self
            .sections
            .partition_point(|s| s.heading_span.start <= offset)
            .checked_sub(1)?;
        let mut cur = Some(last);
        while let Some(i) = cur {
            let s = &self.sections[i];
            if offset < s.body_span.end.max(s.heading_span.end) {
                return Some(i);
            }
            cur = s.parent;
        }
        None
    }

    /// Indices into [`SpecDoc::ids`] of the ids that start inside `span` (ids are sorted).
    pub fn id_range(&self, span: Span) -> std::ops::Range<usize> {
        let from = self.ids.partition_point(|o| o.span.start < span.start);
        let to = self.ids.partition_point(|o| o.span.start < span.end);
        from..to.max(from)
    }

    /// The ids inside `span`.
    pub fn ids_in(&self, span: Span) -> impl Iterator<Item = &IdOccurrence> {
        self.ids[self.id_range(span)]
            .iter()
            .filter(move |o| span.covers(o.span))
    }

    /// The sentences that overlap `span` (sentences are sorted).
    pub fn sentences_in(&self, span: Span) -> impl Iterator<Item = &Sentence> {
        let from = self.sentences.partition_point(|s| s.span.end <= span.start);
        self.sentences[from..]
            .iter()
            .take_while(move |s| s.span.start < span.end)
    }

    /// The titles from the outermost section down to `section`.
    pub fn section_path(&self, section: usize) -> Vec<&str> {
        let mut path = Vec::new();
        let mut cur = Some(section);
        while let Some(i) = cur {
            path.push(self.sections[i].title.as_str());
            cur = self.sections[i].parent;
        }
        path.reverse();
        path
    }

    /// 0-based line of a byte offset (lines end at `\n`).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_span(&self, line: usize) -> Span {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        Span::new(start, end)
    }

    /// `span` without the white space its prose starts or ends with.
    pub fn trimmed(&self, span: Span) -> Span {
        let s = self.prose_slice(span);
        let lead = s.len() - s.trim_start().len();
        Span::new(span.start + lead, span.start + lead + s.trim().len())
    }

    /// Whether `span` lies in prose, i.e. none of its bytes were blanked as code or markup.
    pub fn is_prose(&self, span: Span) -> bool {
        match (self.text.get(span.range()), self.prose.get(span.range())) {
            (Some(t), Some(p)) => t == p,
            _ => false,
        }
    }
}

pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}
