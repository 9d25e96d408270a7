import ArgumentParser
import CMEDomain

// The closed lists of the domain, typed as the command line's values: an
// option of one of these types takes any spelling the domain accepts (any
// case, `_` or a space for `-`), its help lists the values by itself, and a
// value outside the list is refused by the parser with the list (exit 64).

extension ClosedList {
  /// The value the domain reads from `argument`, or nil.
  init?(listed argument: String) {
    guard let value = try? Self.parse(argument, field: "") else { return nil }
    self = value
  }
}

extension ProfessionalRole: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension ClearableChildField: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension EthnicitySource: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension LetterKind: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension ServiceChild: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension CaseReason: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension ReferralSource: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension ClosureOutcome: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension RAG: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension CheckOutcome: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension VisitType: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension Agency: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension EnquiryItem: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension Role: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension BoardDecisionKind: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension SafeguardingConcern: ExpressibleByArgument {
  public init?(argument: String) { self.init(listed: argument) }
}

extension Sex: ExpressibleByArgument {
  public init?(argument: String) {
    guard let value = try? Sex.parse(argument, field: "") else { return nil }
    self = value
  }
}

extension SENProvision: ExpressibleByArgument {
  public init?(argument: String) {
    guard let value = try? SENProvision.parse(argument, field: "") else { return nil }
    self = value
  }
}

/// A yes-or-no answer to an option.
enum YesNo: String, ExpressibleByArgument, CaseIterable {
  case yes, no

  init?(argument: String) {
    switch argument.lowercased() {
    case "yes", "y", "true": self = .yes
    case "no", "n", "false": self = .no
    default: return nil
    }
  }

  var isYes: Bool { self == .yes }
}

extension CaseStatus: ExpressibleByArgument {
  public init?(argument: String) {
    guard let value = try? CaseStatus.parse(argument, field: "") else { return nil }
    self = value
  }
}

extension Whereabouts {
  /// Whether a child's whereabouts are known, as an option's value.
  enum Answer: String, ExpressibleByArgument, CaseIterable {
    case known, unknown

    var isKnown: Bool { self == .known }
  }
}
