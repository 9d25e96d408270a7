import Foundation

/// The reasonable enquiries an authority makes to find a child, as a checklist.
public enum EnquiryItem: String, ClosedList {
  case lastSchool = "last-school"
  case emergencyContacts = "emergency-contacts"
  case homeVisit = "home-visit"
  case neighboursHousing = "neighbours-housing"
  case health
  case police
  case socialCare = "social-care"
  case otherLAs = "other-las"
  case schoolToSchool = "s2s-lost-pupil"
  case lostPupilCTF = "ctf-xxx"
  case homeOffice = "home-office"
  case ministryOfDefence = "mod"

  public static let noun = "enquiry item"

  public var label: String {
    switch self {
    case .lastSchool: "Last school and siblings' schools"
    case .emergencyContacts: "All emergency contacts, at different times of day"
    case .homeVisit: "Home visit"
    case .neighboursHousing: "Neighbours, landlord and housing"
    case .health: "Health: GP, school nurse, health visitor"
    case .police: "Police"
    case .socialCare: "Children's social care records"
    case .otherLAs: "Other LAs' CME officers"
    case .schoolToSchool: "DfE school-to-school service and lost pupil database"
    case .lostPupilCTF: "CTF sent to the lost-pupil destination XXX"
    case .homeOffice: "Home Office / Border Force (move abroad suspected)"
    case .ministryOfDefence: "MoD (Service families)"
    }
  }

  /// Whether the item must be done (or marked not applicable) for this case.
  /// The enquiries that trace a lost child (contacts, neighbours, police,
  /// other LAs, the lost-pupil database and CTF, the Home Office) are needed
  /// only while the child's whereabouts are unknown; the Home Office only
  /// where a move abroad is suspected. MoD checks apply only to Service
  /// families, so they are optional unless recorded.
  public func isRequired(reason: CaseReason, whereaboutsKnown: Bool) -> Bool {
    switch self {
    case .lastSchool, .homeVisit, .health, .socialCare: true
    case .homeOffice: !whereaboutsKnown && reason == .believedMovedOutOfCountry
    case .ministryOfDefence: false
    case .emergencyContacts, .neighboursHousing, .police, .otherLAs, .schoolToSchool, .lostPupilCTF:
      !whereaboutsKnown
    }
  }

  /// The enquiries that evidence the joint school–LA enquiries required
  /// before a deletion on 2024 ground H or I (2006 f or h).
  public static let jointEnquiryEvidence: [EnquiryItem] = [.lastSchool, .emergencyContacts, .homeVisit]
}

/// Where one checklist item stands.
public enum EnquiryState: Hashable, Sendable, Codable {
  case outstanding
  case done(on: LocalDate, by: String, result: String, visitId: Int64?)
  case notApplicable(reason: String, by: String)

  public var isSettled: Bool {
    if case .outstanding = self { return false }
    return true
  }

  public var isDone: Bool {
    if case .done = self { return true }
    return false
  }
}

/// A case's checklist: every item with its state.
public struct EnquiryChecklist: Sendable, Equatable {
  public var reason: CaseReason
  public var whereaboutsKnown: Bool
  public var ground: DeletionGround?
  public var items: [(item: EnquiryItem, state: EnquiryState)]

  public init(
    reason: CaseReason, whereaboutsKnown: Bool, ground: DeletionGround?, recorded: [EnquiryItem: EnquiryState]
  ) {
    self.reason = reason
    self.whereaboutsKnown = whereaboutsKnown
    self.ground = ground
    items = EnquiryItem.allCases.map { ($0, recorded[$0] ?? .outstanding) }
  }

  public static func == (a: EnquiryChecklist, b: EnquiryChecklist) -> Bool {
    a.reason == b.reason && a.whereaboutsKnown == b.whereaboutsKnown && a.ground == b.ground
      && a.items.map(\.item) == b.items.map(\.item)
      && a.items.map(\.state) == b.items.map(\.state)
  }

  public func state(of item: EnquiryItem) -> EnquiryState { items.first { $0.item == item }?.state ?? .outstanding }

  /// Required items not yet done or marked not applicable.
  public var outstanding: [EnquiryItem] {
    EnquiryChecklist.outstanding(
      reason: reason, whereaboutsKnown: whereaboutsKnown, settled: Set(items.filter { $0.state.isSettled }.map(\.item)))
  }

  /// Every required item settled: the enquiries are exhausted.
  public var isExhausted: Bool { outstanding.isEmpty }

  /// For a deletion on a ground that needs joint enquiries: the evidence
  /// still missing (empty when evidenced); nil when the ground needs none.
  public var jointEnquiriesMissing: [EnquiryItem]? {
    EnquiryChecklist.jointEnquiriesMissing(ground: ground, done: Set(items.filter { $0.state.isDone }.map(\.item)))
  }

  /// The required items of a case opened for `reason` that are not among
  /// the `settled` ones (done or not applicable), in checklist order.
  public static func outstanding(reason: CaseReason, whereaboutsKnown: Bool, settled: Set<EnquiryItem>)
    -> [EnquiryItem]
  {
    EnquiryItem.allCases.filter {
      $0.isRequired(reason: reason, whereaboutsKnown: whereaboutsKnown) && !settled.contains($0)
    }
  }

  /// For a deletion on a ground that needs joint enquiries: the evidence not
  /// among the items `done` (empty when evidenced); nil when the ground needs none.
  public static func jointEnquiriesMissing(ground: DeletionGround?, done: Set<EnquiryItem>) -> [EnquiryItem]? {
    guard let ground, ground.requiresJointEnquiries else { return nil }
    return EnquiryItem.jointEnquiryEvidence.filter { !done.contains($0) }
  }
}

/// One line of a checklist, as shown and exported.
public struct EnquiryLine: Hashable, Sendable, Codable {
  public var item: EnquiryItem
  public var label: String
  public var required: Bool
  /// `outstanding`, `done` or `not-applicable`.
  public var state: String
  public var date: LocalDate?
  public var by: String?
  /// The result, or the reason it does not apply.
  public var detail: String?
  public var visitId: Int64?
}

extension EnquiryChecklist {
  public var lines: [EnquiryLine] {
    items.map { item, state in
      let required = item.isRequired(reason: reason, whereaboutsKnown: whereaboutsKnown)
      switch state {
      case .outstanding:
        return EnquiryLine(item: item, label: item.label, required: required, state: "outstanding")
      case .done(let on, let by, let result, let visitId):
        return EnquiryLine(
          item: item, label: item.label, required: required, state: "done", date: on, by: by, detail: result,
          visitId: visitId)
      case .notApplicable(let reason, let by):
        return EnquiryLine(
          item: item, label: item.label, required: required, state: "not-applicable", by: by, detail: reason)
      }
    }
  }
}
