import Foundation

/// Bad input, caught before anything is written.
///
/// Every rule in the domain reports a problem as one of these: which field
/// was wrong, what was wrong with it, and how to put it right. Rules name
/// the field by its name in the record (`dateOfBirth`, `ground`,
/// `lastAttended`); each front end shows it as the user knows it (the
/// command line as its option, `--dob`; a web form as its field). A caller
/// that parses what the user typed may name the field as the user typed it
/// (an option, a column of an import file).
public struct InvalidInput: Error, Equatable, Sendable, CustomStringConvertible {
  /// The field: its name in the record, e.g. `dateOfBirth`, or as the user
  /// typed it, e.g. `--dob` or a file's column.
  public var field: String
  /// What is wrong, in a sentence without a trailing full stop.
  public var problem: String
  /// How to fix it, in words that fit any front end, if there is more to
  /// say than the problem itself.
  public var fix: String?
  /// A step that would help, for the front end to offer.
  public var next: NextStep?

  public init(field: String, problem: String, fix: String? = nil, next: NextStep? = nil) {
    self.field = field
    self.problem = problem
    self.fix = fix
    self.next = next
  }

  public var description: String {
    var text = "\(field): \(problem)"
    if let fix { text += ". \(fix)" }
    return text
  }
}

extension InvalidInput {
  /// A value outside a closed list, with the list in the message.
  static func notInList(
    field: String, value: String, allowed: [String], noun: String
  ) -> InvalidInput {
    InvalidInput(
      field: field, problem: "'\(value)' is not a known \(noun)",
      fix: "Use one of: \(allowed.joined(separator: ", "))")
  }

  /// A required text that was empty.
  static func empty(field: String, what: String) -> InvalidInput {
    InvalidInput(field: field, problem: "\(what) is empty", fix: "Give \(what) in words")
  }
}

/// Returns the text trimmed of surrounding white space, or throws if nothing is left
/// or it breaks ``TextRules`` for a note (10,000 characters, may run over lines).
public func requireText(_ text: String, field: String, what: String) throws(InvalidInput) -> String {
  let trimmed = trimmingWhiteSpace(text)
  guard !trimmed.isEmpty else { throw .empty(field: field, what: what) }
  try TextRules.check(trimmed, field: field, kind: .note)
  return trimmed
}

/// Returns nil for nil or blank text, else the trimmed text.
public func optionalText(_ text: String?) -> String? {
  guard let text else { return nil }
  let trimmed = trimmingWhiteSpace(text)
  return trimmed.isEmpty ? nil : trimmed
}

/// The text without white space or line breaks (Unicode's White_Space) at
/// either end. Imports call this for every cell, so text that needs no
/// trimming is returned as it is without looking further.
public func trimmingWhiteSpace(_ text: String) -> String {
  func plain(_ b: UInt8?) -> Bool { b.map { $0 > 0x20 && $0 < 0x7F } ?? false }
  if plain(text.utf8.first) && plain(text.utf8.last) { return text }
  let scalars = text.unicodeScalars
  guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
  else { return "" }
  return String(scalars[first...last])
}

/// Returns nil for nil or blank text, else the trimmed text once it meets
/// ``TextRules`` for `kind`.
public func optionalText(_ text: String?, field: String, kind: TextKind) throws(InvalidInput) -> String? {
  guard let trimmed = optionalText(text) else { return nil }
  try TextRules.check(trimmed, field: field, kind: kind)
  return trimmed
}
