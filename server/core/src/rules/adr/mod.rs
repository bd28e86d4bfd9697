//! Architecture Decision Record rules: each record's structure, status, date and options,
//! the links and numbering of a folder of records, and specs that cite inactive records.
//! Cross-file rules read the records of the workspace index (`DocumentFacts::adr`).

mod adr_date;
mod adr_missing_section;
mod adr_number;
mod adr_options;
mod adr_status;
mod adr_supersede_link;
mod cites_inactive_adr;

pub use adr_date::AdrDate;
pub use adr_missing_section::AdrMissingSection;
pub use adr_number::AdrNumber;
pub use adr_options::AdrOptions;
pub use adr_status::AdrStatus;
pub use adr_supersede_link::AdrSupersedeLink;
pub use cites_inactive_adr::CitesInactiveAdr;

use super::Context;
use crate::adr::{AdrRecord, Target, resolve};
use crate::kind::DocKind;

/// The record being analysed, unless it is not an ADR or is a template.
pub(crate) fn own_record<'a>(ctx: &Context<'a>) -> Option<&'a AdrRecord> {
    if ctx.kind != DocKind::Adr {
        return None;
    }
    ctx.facts.adr.as_ref().filter(|r| !r.template)
}

/// The records of the document's folder other than itself, with their locations.
pub(crate) fn sibling_records<'a>(ctx: &Context<'a>) -> Vec<(&'a str, &'a AdrRecord)> {
    ctx.siblings()
        .into_iter()
        .filter_map(|(loc, f)| f.adr.as_ref().filter(|r| !r.template).map(|r| (loc, r)))
        .collect()
}

/// The file name of a location.
pub(crate) fn file_name(location: &str) -> &str {
    location.rsplit(['/', '\\']).next().unwrap_or(location)
}

/// The record a link target names, from the document at `ctx.location`: a file that the
/// index holds, or the folder's record with that number. `Err(())` when the target can be
/// checked and does not exist; `Ok(None)` when it cannot be checked.
pub(crate) fn target_record<'a>(
    ctx: &Context<'a>,
    siblings: &[(&'a str, &'a AdrRecord)],
    target: &Target,
) -> Result<Option<(&'a str, &'a AdrRecord)>, ()> {
    let Some(location) = ctx.location else {
        return Ok(None);
    };
    match target {
        Target::File(dest) => {
            let Some(resolved) = resolve(location, dest) else {
                return Ok(None);
            };
            match ctx.index.documents().find(|(l, _)| *l == resolved) {
                Some((l, f)) => Ok(f.adr.as_ref().map(|r| (l, r))),
                None => {
                    // Only a folder the index knows can be said to lack a file.
                    let folder = crate::index::folder_of(&resolved);
                    let known = ctx.index.documents().any(|(_, f)| f.folder == folder);
                    if known { Err(()) } else { Ok(None) }
                }
            }
        }
        Target::Number(n) => {
            let mut found = siblings.iter().filter(|(_, r)| r.number() == Some(*n));
            match (found.next(), found.next()) {
                (Some(one), None) => Ok(Some(*one)),
                (Some(_), Some(_)) => Ok(None),
                (None, _) if siblings.is_empty() => Ok(None),
                (None, _) => Err(()),
            }
        }
        Target::Missing => Ok(None),
    }
}
