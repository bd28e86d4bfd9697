//! The commands the server executes (`workspace/executeCommand`): one enum, so the list the
//! server advertises, the dispatcher (an exhaustive `match`) and `docs/commands.md` (whose
//! argument column is checked against [`ServerCommand::argument`]) cannot drift apart.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerCommand {
    AdrIndex,
    AdrList,
    AdrNew,
    AdrSetStatus,
    AdrSupersede,
    Cancel,
    CancelAll,
    CollectQuestions,
    Coverage,
    Decompose,
    Dispatch,
    DispatchReady,
    Explain,
    Integrate,
    Rules,
    Runs,
    ShowLog,
    TaskAt,
    Tasks,
    Verify,
    WorktreesClean,
}

impl ServerCommand {
    pub const ALL: [ServerCommand; 21] = [
        ServerCommand::AdrIndex,
        ServerCommand::AdrList,
        ServerCommand::AdrNew,
        ServerCommand::AdrSetStatus,
        ServerCommand::AdrSupersede,
        ServerCommand::Cancel,
        ServerCommand::CancelAll,
        ServerCommand::CollectQuestions,
        ServerCommand::Coverage,
        ServerCommand::Decompose,
        ServerCommand::Dispatch,
        ServerCommand::DispatchReady,
        ServerCommand::Explain,
        ServerCommand::Integrate,
        ServerCommand::Rules,
        ServerCommand::Runs,
        ServerCommand::ShowLog,
        ServerCommand::TaskAt,
        ServerCommand::Tasks,
        ServerCommand::Verify,
        ServerCommand::WorktreesClean,
    ];

    /// The name editors call it by.
    pub const fn name(self) -> &'static str {
        match self {
            ServerCommand::AdrIndex => "specwright.adr.index",
            ServerCommand::AdrList => "specwright.adr.list",
            ServerCommand::AdrNew => "specwright.adr.new",
            ServerCommand::AdrSetStatus => "specwright.adr.setStatus",
            ServerCommand::AdrSupersede => "specwright.adr.supersede",
            ServerCommand::Cancel => "specwright.cancel",
            ServerCommand::CancelAll => "specwright.cancelAll",
            ServerCommand::CollectQuestions => "specwright.collectQuestions",
            ServerCommand::Coverage => "specwright.coverage",
            ServerCommand::Decompose => "specwright.decompose",
            ServerCommand::Dispatch => "specwright.dispatch",
            ServerCommand::DispatchReady => "specwright.dispatchReady",
            ServerCommand::Explain => "specwright.explain",
            ServerCommand::Integrate => "specwright.integrate",
            ServerCommand::Rules => "specwright.rules",
            ServerCommand::Runs => "specwright.runs",
            ServerCommand::ShowLog => "specwright.showLog",
            ServerCommand::TaskAt => "specwright.taskAt",
            ServerCommand::Tasks => "specwright.tasks",
            ServerCommand::Verify => "specwright.verify",
            ServerCommand::WorktreesClean => "specwright.worktrees.clean",
        }
    }

    /// The shape of its one JSON argument, as `docs/commands.md` shows it and as an
    /// `InvalidParams` error repeats it.
    pub const fn argument(self) -> &'static str {
        match self {
            ServerCommand::AdrIndex => {
                r#"{ "uri"?: "<a record or document>", "dir"?: "<folder>" }"#
            }
            ServerCommand::AdrList => r#"{ "uri"?, "dir"? }"#,
            ServerCommand::AdrNew => {
                r#"{ "title": "Use PostgreSQL", "uri"?: "<a document near the ADR folder>", "dir"?: "<folder path>", "template"?: "madr" | "nygard" }"#
            }
            ServerCommand::AdrSetStatus => r#"{ "uri": "<record uri>", "status": "accepted" }"#,
            ServerCommand::AdrSupersede => r#"{ "uri": "<record uri>", "title"?: "…" }"#,
            ServerCommand::Cancel => r#"{ "task"?: "T003", "run"?: "<id>" }"#,
            ServerCommand::CancelAll => r#"{}"#,
            ServerCommand::CollectQuestions => r#"{ "uri": "<document uri>" }"#,
            ServerCommand::Coverage => r#"{ "uri": "<document uri>", "id": "FR-001" }"#,
            ServerCommand::Decompose => r#"{ "uri": "<spec uri>", "section"?: "<title>" }"#,
            ServerCommand::Dispatch => {
                r#"{ "uri": "<tasks file uri>", "task"?: "T003", "tasks"?: ["T001", …], "agent"?: "<name>" }"#
            }
            ServerCommand::DispatchReady => r#"{ "uri", "agent"? }"#,
            ServerCommand::Explain => r#"{ "rule": "<rule-id>" }"#,
            ServerCommand::Integrate => r#"{ "uri", "into": "<branch>", "run"? }"#,
            ServerCommand::Rules => r#"{}"#,
            ServerCommand::Runs => r#"{ "uri" }"#,
            ServerCommand::ShowLog => r#"{ "uri", "task" }"#,
            ServerCommand::TaskAt => {
                r#"{ "uri": "<tasks file uri>", "position": { "line", "character" } }"#
            }
            ServerCommand::Tasks => r#"{ "uri": "<tasks file uri>" }"#,
            ServerCommand::Verify => r#"{ "uri": "<tasks file uri>", "task"?: "T003" }"#,
            ServerCommand::WorktreesClean => r#"{ "uri" }"#,
        }
    }

    pub fn parse(name: &str) -> Option<ServerCommand> {
        ServerCommand::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Every command's name, in the order of [`ServerCommand::ALL`].
pub const COMMANDS: [&str; 21] = {
    let mut names = [""; 21];
    let mut i = 0;
    while i < 21 {
        names[i] = ServerCommand::ALL[i].name();
        i += 1;
    }
    names
};
