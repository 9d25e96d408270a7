import CMEStore
import Foundation

/// Long work's progress on standard error, when standard error is a
/// terminal: one line per stage, redrawn in place at most five times a
/// second, finished with a new line when the stage ends or another begins
/// (a stage of unknown size is one line at once).
/// When standard error is not a terminal (a script, a log file), nothing.
final class TerminalProgress: @unchecked Sendable {
  static let shared = TerminalProgress()

  /// The register's progress reporter for this process.
  static var reporter: WorkProgress {
    guard isatty(STDERR_FILENO) != 0, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return .silent }
    _ = closesAtExit
    return WorkProgress { stage, done, total in shared.report(stage, done, total) }
  }

  /// A line still open when the process ends is finished.
  private static let closesAtExit: Void = { atexit { TerminalProgress.shared.endLine() } }()

  private let lock = NSLock()
  private var stage = ""
  private var started = Date()
  private var drawnAt = Date.distantPast
  private var lineOpen = false

  private func report(_ stage: String, _ done: Int, _ total: Int) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    if stage != self.stage {
      closeLine()
      self.stage = stage
      started = now
      drawnAt = .distantPast
    }
    // A stage of unknown size is one line, finished at once.
    guard total > 0 else {
      write("\(WorkProgress.line(stage: stage, done: 0, total: 0, elapsed: 0))\n")
      return
    }
    let finished = done >= total
    guard finished || now.timeIntervalSince(drawnAt) >= 0.2 else { return }
    drawnAt = now
    let text = WorkProgress.line(stage: stage, done: done, total: total, elapsed: now.timeIntervalSince(started))
    // Back to the start of the line, the text, and the rest of the line cleared.
    write("\r\(text)\u{1B}[K")
    lineOpen = true
    if finished {
      closeLine()
      self.stage = ""
    }
  }

  /// Finishes a line left open, before anything else is written to the terminal.
  func endLine() {
    lock.lock()
    defer { lock.unlock() }
    closeLine()
  }

  private func closeLine() {
    if lineOpen { write("\n") }
    lineOpen = false
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
