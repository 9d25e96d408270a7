import Foundation

/// Where long work (a demo, an import, `verify`, a backup, a pack) says how
/// far it has got: the stage in words, and how many of how many. The command
/// line draws it on a terminal; elsewhere it is silent.
public struct WorkProgress: Sendable {
  private let sink: (@Sendable (_ stage: String, _ done: Int, _ total: Int) -> Void)?

  public init(_ sink: @escaping @Sendable (_ stage: String, _ done: Int, _ total: Int) -> Void) {
    self.sink = sink
  }

  private init() { sink = nil }

  /// Reports nothing.
  public static let silent = WorkProgress()

  /// `done` of `total` in `stage`; a `total` of 0 is a stage whose size is
  /// not known (it is shown as begun).
  public func report(_ stage: String, _ done: Int = 0, of total: Int = 0) {
    sink?(stage, done, total)
  }

  /// One line for a terminal: `Writing children: 412,000 of 1,000,000 (41%), about 3 min left`.
  public static func line(stage: String, done: Int, total: Int, elapsed: Double) -> String {
    guard total > 0 else { return "\(stage)…" }
    let done = Swift.min(done, total)
    var text = "\(stage): \(grouped(done)) of \(grouped(total)) (\(done * 100 / total)%)"
    if done == total {
      text += elapsed >= 1 ? ", \(duration(elapsed))" : ""
    } else if done > 0 && elapsed >= 1 {
      text += ", about \(duration(elapsed * Double(total - done) / Double(done))) left"
    }
    return text
  }

  static func grouped(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, d) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(d)
    }
    return out
  }

  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(Swift.max(s, 1)) s" }
    if s < 3600 { return s % 60 == 0 || s >= 600 ? "\((s + 30) / 60) min" : "\(s / 60) min \(s % 60) s" }
    return "\(s / 3600) h \((s % 3600 + 30) / 60) min"
  }
}
