//! The context packet: the prompt an agent gets for one task, rendered from a MiniJinja
//! template (the built-in one below, or `[dispatch].prompt`).

use crate::model::{Job, Project};
use minijinja::{Environment, context};

/// The built-in template. Variables: `task` (id, title, covers, requirements [{id, text}],
/// may, must_not, acceptance, checks, depends), `spec`, `tasks_file`, `branch`, `decisions`
/// [{label, number, title, path, decision}], `instructions` [{path, text}].
pub const DEFAULT: &str = r#"# Task {{ task.id }}: {{ task.title }}

You are one of several coding agents working on this repository in parallel. You work in
your own git worktree on branch `{{ branch }}`. Do only this task, and leave your changes
in the worktree: Specwright commits them on this branch when you are done.
{% if task.requirements %}
## Requirements this task implements (from {{ spec }})
{% for r in task.requirements %}
### {{ r.id }}
{{ r.text }}
{% endfor %}{% elif task.covers %}
## Requirements this task implements
{{ task.covers | join(", ") }} (see {{ spec }})
{% endif %}
## Boundary
{% if task.may %}You may change only files matching: {% for g in task.may %}`{{ g }}`{% if not loop.last %}, {% endif %}{% endfor %}.
{% else %}This task names no boundary; keep your changes to what the task needs.
{% endif %}{% if task.must_not %}You must not change: {% for g in task.must_not %}`{{ g }}`{% if not loop.last %}, {% endif %}{% endfor %}.
{% endif %}Changes outside the boundary fail the task.
{% if task.acceptance %}
## Acceptance criteria
{% for a in task.acceptance %}- {{ a }}
{% endfor %}{% endif %}{% if task.checks %}
## Checks
These commands run in your worktree after you finish; they must pass:
{% for c in task.checks %}- `{{ c }}`
{% endfor %}{% endif %}{% if decisions %}
## Architectural decisions you must respect
{% for d in decisions %}
### {{ d.label }}: {{ d.title }} ({{ d.path }})
{{ d.decision }}
{% endfor %}{% endif %}{% if instructions %}
## Project instructions
{% for i in instructions %}
### {{ i.path }}
{{ i.text }}
{% endfor %}{% endif %}"#;

/// Renders the prompt of `job`; `template` replaces the built-in one.
pub fn render(
    project: &Project,
    job: &Job,
    branch: &str,
    template: Option<&str>,
) -> Result<String, String> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template("prompt", template.unwrap_or(DEFAULT))
        .map_err(|e| format!("the prompt template does not parse: {e}"))?;
    let requirements: Vec<_> = job
        .requirements
        .iter()
        .map(|(id, text)| context! { id => id, text => text })
        .collect();
    let task = context! {
        id => job.id, title => job.title, covers => job.covers,
        requirements => requirements, may => job.may, must_not => job.must_not,
        acceptance => job.acceptance, checks => job.checks, depends => job.depends,
    };
    let instructions: Vec<_> = project
        .instructions
        .iter()
        .map(|(path, text)| context! { path => path, text => text.trim() })
        .collect();
    let decisions: Vec<_> = project
        .decisions
        .iter()
        .map(|d| {
            context! {
                label => format!("ADR-{:04}", d.number), number => d.number, title => d.title,
                path => d.path, decision => d.decision,
            }
        })
        .collect();
    let tmpl = env
        .get_template("prompt")
        .map_err(|e| format!("the prompt template: {e}"))?;
    tmpl.render(context! {
        task => task,
        spec => project.spec_rel.clone().unwrap_or_else(|| "the spec".into()),
        tasks_file => project.tasks_rel,
        branch => branch,
        decisions => decisions,
        instructions => instructions,
    })
    .map_err(|e| format!("the prompt template does not render: {e}"))
}
