//! Where a simulated month is, kept in a file beside its database so a
//! killed run starts again after the last step it finished (a step under
//! way when it died is done again, as a person would type it again).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// A couple's morning on a day, or (`couple: None`) that day's evening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub day: u32,
    pub couple: Option<usize>,
}

impl Position {
    pub const START: Position = Position {
        day: 0,
        couple: Some(0),
    };

    /// The step after this one: every couple's morning, then the evening.
    pub fn next(self, couples: usize) -> Position {
        match self.couple {
            Some(couple) if couple + 1 < couples => Position {
                couple: Some(couple + 1),
                ..self
            },
            Some(_) => Position {
                couple: None,
                ..self
            },
            None => Position {
                day: self.day + 1,
                couple: Some(0),
            },
        }
    }

    /// Evenings done so far, counting this step if it is one.
    pub fn evenings_through(self) -> u32 {
        match self.couple {
            None => self.day + 1,
            Some(_) => self.day,
        }
    }

    fn parse(line: &str) -> Option<Position> {
        let (day, couple) = line.split_once(' ')?;
        let day = day.parse().ok()?;
        let couple = match couple {
            "evening" => None,
            couple => Some(couple.parse().ok()?),
        };
        Some(Position { day, couple })
    }

    fn line(self) -> String {
        match self.couple {
            Some(couple) => format!("{} {couple}\n", self.day),
            None => format!("{} evening\n", self.day),
        }
    }
}

pub struct Progress {
    file: File,
    /// The last step finished, if any.
    last: Option<Position>,
    lives: u32,
}

impl Progress {
    /// Reads the file (its last line may be torn by a kill) and counts
    /// this start as a new life.
    pub fn open(dir: &Path) -> anyhow::Result<Progress> {
        let path = dir.join("progress");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let last = text.lines().filter_map(Position::parse).next_back();
        let lives = text.lines().filter(|line| *line == "life").count() as u32 + 1;
        let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(b"\nlife\n")?;
        Ok(Progress { file, last, lives })
    }

    pub fn lives(&self) -> u32 {
        self.lives
    }

    pub fn last(&self) -> Option<Position> {
        self.last
    }

    /// Where to go on from.
    pub fn position(&self, couples: usize) -> Position {
        self.last.map_or(Position::START, |last| last.next(couples))
    }

    pub fn done(&mut self, at: Position) -> anyhow::Result<()> {
        self.file.write_all(at.line().as_bytes())?;
        self.last = Some(at);
        Ok(())
    }
}
