import Foundation

/// Synthetic, realistic register data for demonstrations and load tests.
///
/// Distributions follow the DfE's published CME figures: about 45% female,
/// 54% male, 1% unknown; a long-tailed time missing (half of cases open on a
/// census day have been open more than 12 weeks); the common reasons
/// (awaiting a school place, believed abroad, whereabouts unknown);
/// deletions on grounds G, H, I and O; Gypsy, Roma and Traveller families,
/// Black Caribbean, White and Black Caribbean and Somali children somewhat
/// over-represented; a minority with safeguarding markers. Names, addresses
/// and phone numbers are invented (phones in Ofcom's drama range).
///
/// The same seed and the same "as of" date give the same data.
public struct DemoRegister: Sequence, Sendable {
  public let children: Int
  public let seed: UInt64
  public let asOf: LocalDate
  /// Caseworkers who lead cases, and the manager whose own cases appear too.
  public let caseworkers: [String]
  public let manager: String

  public init(children: Int, seed: UInt64, asOf: LocalDate, caseworkers: [String], manager: String) {
    self.children = children
    self.seed = seed
    self.asOf = asOf
    self.caseworkers = caseworkers
    self.manager = manager
  }

  /// One generated child and their cases, oldest first.
  public struct Entry: Sendable {
    public var child: Child
    public var cases: [Case]
  }

  /// A generated case and its history.
  public struct Case: Sendable {
    public var record: CMECase
    /// Ratings oldest first: (rating, suggested, rationale, who, day).
    public var ratings: [(rating: RAG, suggestion: RAGSuggestion, rationale: String, by: String, on: LocalDate)]
    /// Check in the current cycle, if the case has been checked in it.
    public var currentCheck: (outcome: CheckOutcome, satisfactory: Bool, note: String)?
    public var visits: [Visit] = []
    /// Checklist items settled: (item, day, result; or nil day and the reason it does not apply).
    public var enquiries: [(item: EnquiryItem, on: LocalDate?, text: String)] = []
    public var actions: [(action: CaseAction, history: [(state: ActionState, note: String?, on: LocalDate)])] = []
    public var closureEvidence: ClosureEvidence?
    public var fairAccessReferred: LocalDate?
  }

  /// The day the current register-check cycle started.
  public var cycleStart: LocalDate { asOf.adding(days: -9) }

  public func makeIterator() -> AnyIterator<Entry> {
    var rng = SeededRandom(seed: seed)
    var i = 0
    let me = self
    return AnyIterator {
      guard i < me.children else { return nil }
      i += 1
      return me.entry(number: i, rng: &rng)
    }
  }

  // MARK: - One child

  func entry(number i: Int, rng: inout SeededRandom) -> Entry {
    let sex: Sex = rng.weighted([(.female, 45), (.male, 54), (.unknown, 1)])
    let forenames = sex == .female ? Names.girls : sex == .male ? Names.boys : Names.girls + Names.boys
    // The first case opened within the last two years; age at opening 4–16,
    // with more at the primary–secondary transition and in Year 10.
    let firstOpened = asOf.adding(days: -rng.below(730))
    let ageAtOpening = rng.weighted([
      (4, 2), (5, 6), (6, 7), (7, 7), (8, 7), (9, 8), (10, 11), (11, 10), (12, 9), (13, 9), (14, 11), (15, 10), (16, 3),
    ])
    let dob = firstOpened.adding(days: -(ageAtOpening * 365 + rng.below(365)))
    var child = Child(legalSurname: rng.pick(Names.surnames), legalForename: rng.pick(forenames), dateOfBirth: dob)
    child.sex = sex
    if rng.chance(0.1) { child.preferredForename = rng.pick(forenames) }
    if rng.chance(0.06) { child.formerNames = ["\(child.legalForename) \(rng.pick(Names.surnames))"] }
    child.ethnicity = Ethnicity(checked: rng.weighted(Self.ethnicities))
    if rng.chance(0.8) { child.upn = Self.upn(number: i, rng: &rng) }
    child.firstLanguage = LanguageCode(
      checked: rng.weighted([
        ("ENG", 74), ("OTH", 6), ("POL", 4), ("URD", 3), ("SOM", 2), ("PNJ", 2), ("ARA", 2), ("LIT", 2), ("POR", 2),
        ("ENB", 2), ("NOT", 1),
      ]))
    child.senProvision = rng.weighted([
      (SENProvision.ehcPlan, 6), (SENProvision.senSupport, 22), (SENProvision.none, 72),
    ])
    if rng.chance(0.05) {
      child.disability = rng.pick([
        "autism", "hearing impairment", "visual impairment", "physical disability", "epilepsy",
      ])
    }
    child.freeSchoolMeals = rng.chance(0.38)
    child.lookedAfter = rng.chance(0.03)
    if child.lookedAfter { child.careAuthority = rng.pick(["891", "892", "926", "855"]) }
    child.childProtectionPlan = rng.chance(0.035)
    child.childInNeed = rng.chance(0.09)
    child.youthJustice = ageAtOpening >= 10 && rng.chance(0.03)
    if rng.chance(0.03) { child.concerns = [rng.pick(SafeguardingConcern.allCases)] }
    if rng.chance(0.05) {
      child.religion = rng.pick(["Christian", "Muslim", "Hindu", "Sikh", "No religion", "Jewish"])
    }
    let district = rng.pick(Names.districts)
    let postcode = "\(district) \(rng.int(1...9))\(rng.pick(Names.inwardLetters))\(rng.pick(Names.inwardLetters))"
    child.addresses = [
      Address(
        text: "\(rng.int(1...240)) \(rng.pick(Names.streets)), \(rng.pick(Names.towns))", postcode: postcode,
        from: dob.adding(days: rng.below(Swift.max(1, firstOpened.days(since: dob)))))
    ]
    let carerSurname = rng.chance(0.8) ? child.legalSurname : rng.pick(Names.surnames)
    child.carers = [
      Carer(
        name: "\(rng.pick(Names.adults)) \(carerSurname)",
        relationship: rng.weighted([("mother", 70), ("father", 20), ("grandparent", 5), ("foster carer", 5)]),
        phone: "07700 900" + pad(rng.below(1000), 3))
    ]
    child.lastSchool = .urn(String(100_000 + rng.below(50_000)))

    var cases: [Case] = []
    if rng.chance(0.12), firstOpened.days(since: dob) > 5 * 365 + 200 {
      // An earlier episode, closed.
      let opened = firstOpened.adding(days: -(120 + rng.below(500)))
      cases.append(makeCase(child: child, number: i, opened: opened, mustClose: true, rng: &rng))
    }
    cases.append(makeCase(child: child, number: i, opened: firstOpened, mustClose: false, rng: &rng))
    return Entry(child: child, cases: cases)
  }

  // MARK: - One case

  func makeCase(child: Child, number: Int, opened: LocalDate, mustClose: Bool, rng: inout SeededRandom) -> Case {
    let fromSchool = rng.chance(0.45)
    var ground: DeletionGround?
    var reason: CaseReason
    if fromSchool {
      let letter = rng.weighted([("G", 35), ("I", 25), ("H", 10), ("O", 10), ("A", 6), ("F", 6), ("J", 2), ("N", 6)])
      ground = try? DeletionGround(
        regime: opened < LocalDate(year: 2024, month: 8, day: 19)! ? .r2006 : .r2024, letter: letter)
      if ground?.regime == .r2006 {
        let old = ["G": "e", "I": "h", "H": "f", "O": "l", "A": "b", "F": "d", "J": "i", "N": "e"][letter] ?? "e"
        ground = try? DeletionGround(regime: .r2006, letter: old)
      }
      reason =
        switch letter {
        case "G": rng.chance(0.5) ? .believedMovedOutOfCountry : .whereaboutsUnknown
        case "I", "H": .whereaboutsUnknown
        case "O": .permExcludedNoProvision
        case "F": .eheUnsuitable
        default: .schoolApplicationAwaitingOutcome
        }
    } else {
      reason = rng.weighted([
        (.schoolApplicationAwaitingOutcome, 28), (.believedMovedOutOfCountry, 14), (.placeOfferedNotStarted, 13),
        (.newArrivalNotApplied, 16), (.whereaboutsUnknown, 8), (.eheUnsuitable, 5), (.parentRefusesToApply, 4),
        (.ehcpNoPlacementNamed, 4), (.failedToStartReceptionOrTransfer, 4), (.other, 2), (.notKnown, 2),
        (.partTimeTimetable, 4), (.informalExclusion, 2), (.lookedAfterNoSuitablePlace, 1),
      ])
    }
    let source: ReferralSource =
      fromSchool
      ? .schoolDeletionReturn
      : reason == .lookedAfterNoSuitablePlace
        ? .virtualSchool
        : reason.scope == .onRollNotFullTime
          ? .schoolReferral
          : rng.weighted([
            (.schoolReferral, 30), (.admissions, 25), (.otherLA, 14), (.health, 8), (.socialCare, 8), (.housing, 5),
            (.police, 3), (.public, 3), (.eheTeam, 4),
          ])
    let whereaboutsKnown: Bool =
      switch reason {
      case .partTimeTimetable, .informalExclusion, .lookedAfterNoSuitablePlace: true
      case .whereaboutsUnknown: false
      case .believedMovedOutOfCountry: rng.chance(0.3)
      default: rng.chance(0.9)
      }
    // Long-tailed duration: median about 6 weeks, some over a year.
    let duration = Swift.max(3, Int(exp(log(42.0) + 1.1 * rng.normal())))
    let closes = mustClose || opened.adding(days: duration) <= asOf
    let lead = rng.chance(0.05) ? manager : rng.pick(caseworkers)
    var c = CMECase(
      reference: "", childId: 0, openedOn: opened, referralSource: source, reason: reason, deletionGround: ground,
      lastAttended: (fromSchool || source == .schoolReferral) && reason.scope == .missingEducation
        ? opened.adding(
          days:
            -(rng.chance(0.8)
            ? 6 + rng.below(9) : (ground?.letter == "I" || ground?.letter == "h" ? 28 : 15) + rng.below(21))) : nil,
      whereaboutsKnown: whereaboutsKnown, leadCaseworker: lead)
    if reason == .partTimeTimetable { c.weeklyHours = Double(5 + rng.below(21)) }
    let first = suggestRAG(RAGFacts(child: child, case: c), today: opened)
    var ratings: [(rating: RAG, suggestion: RAGSuggestion, rationale: String, by: String, on: LocalDate)] = [
      (first.rating, first, "suggested when the case opened: \(first.summary)", lead, opened)
    ]
    if closes {
      let closedOn = Swift.min(asOf, opened.adding(days: mustClose ? Swift.min(duration, 110) : duration))
      c.status = .closed
      c.closedOn = closedOn
      let outcome = Self.outcome(for: reason, rng: &rng)
      c.outcome = outcome
      c.outcomeEvidence = Self.evidence(for: outcome, on: closedOn)
    } else {
      let now = suggestRAG(RAGFacts(child: child, case: c), today: asOf)
      let reviewDay = opened.adding(days: Swift.max(1, asOf.days(since: opened) / 2))
      if now.rating != first.rating {
        ratings.append((now.rating, now, "reviewed: \(now.summary)", lead, reviewDay))
      }
      if rng.chance(0.12) {
        // A caseworker's judgement that differs from the rule.
        let other: RAG = now.rating == .red ? .amber : now.rating == .amber ? rng.pick([.red, .green]) : .amber
        ratings.append(
          (
            other, now, rng.pick(Self.overrideReasons[other] ?? ["professional judgement"]), lead,
            Swift.min(asOf, reviewDay.adding(days: 3))
          ))
      }
    }
    c.rag = ratings.last?.rating
    var result = Case(record: c, ratings: ratings, currentCheck: nil)
    Self.addCasework(to: &result, lead: lead, asOf: asOf, rng: &rng)
    // The manager checks cases in the current cycle, but not the ones they lead.
    if c.status == .open && lead != manager && rng.chance(0.45) {
      result.currentCheck = Self.check(rag: c.rag ?? .amber, rng: &rng)
    }
    return result
  }

  // MARK: - Casework

  /// Visits, enquiries, actions and closure evidence that fit the case's story.
  static func addCasework(to k: inout Case, lead: String, asOf: LocalDate, rng: inout SeededRandom) {
    let c = k.record
    let end = c.closedOn ?? asOf
    let span = end.days(since: c.openedOn)
    func weekday(_ d: LocalDate) -> LocalDate {
      d.weekday == 6 ? d.adding(days: 2) : d.weekday == 7 ? d.adding(days: 1) : d
    }
    func day(within offset: ClosedRange<Int>) -> LocalDate? {
      let d = weekday(c.openedOn.adding(days: rng.int(offset)))
      return d <= end ? d : nil
    }
    func time() -> String { pad(rng.int(9...18), 2) + ":" + pad(rng.pick([0, 15, 30, 45]), 2) }
    let ref = c.reference
    let seenChance = c.whereaboutsKnown ? 0.7 : 0.08

    // The first contact, then the home visit, then enquiries as the case goes on.
    if let d = day(within: 0...2) {
      k.visits.append(
        Visit(
          caseReference: ref, type: .phoneCall, date: d, time: time(), childSeen: false,
          outcome: rng.pick([
            "Called the parent's mobile: no answer, voicemail left.",
            "Spoke to the mother; says the family is staying with relatives.", "Number not recognised.",
          ]),
          nextStep: "Home visit", by: lead))
    }
    var homeVisit: LocalDate?
    if rng.chance(0.85), let d = day(within: 1...(rng.chance(0.8) ? 6 : 14)) {
      let seen = rng.chance(seenChance)
      homeVisit = d
      k.visits.append(
        Visit(
          caseReference: ref, type: .homeVisit, date: d, time: time(), childSeen: seen,
          outcome: seen
            ? "Child seen at home with the parent; discussed a school place."
            : rng.pick([
              "No answer; curtains closed, post piling up.", "Neighbour says the family moved out two weeks ago.",
              "A new tenant answered; no forwarding address.",
            ]),
          nextStep: seen ? "Chase admissions" : "Check with housing and health", by: lead))
    }
    let extra = Swift.min(5, span / 12)
    for _ in 0..<extra {
      guard let d = day(within: 3...Swift.max(3, span)) else { continue }
      let type: VisitType = rng.weighted([
        (.schoolContact, 3), (.agencyCheck, 4), (.phoneCall, 3), (.multiAgencyMeeting, 1), (.homeVisit, 2), (.email, 1),
      ])
      let agency: Agency? =
        type == .agencyCheck
        ? rng.pick([.health, .police, .housing, .otherLA, .socialCare]) : type == .schoolContact ? .school : nil
      let seen = (type == .homeVisit || type == .multiAgencyMeeting) && rng.chance(seenChance)
      k.visits.append(
        Visit(
          caseReference: ref, type: type, date: d, time: time(), childSeen: type == .email ? nil : seen,
          outcome: seen
            ? "Child seen; well, wants to go back to school."
            : rng.pick([
              "No record of the child.", "Sibling attends Hill Top Primary; no news of the child.",
              "Checked records; last contact three months ago.", "Meeting agreed next steps with partners.",
            ]),
          agency: agency, by: lead))
    }
    k.visits.sort { ($0.date, $0.time ?? "") < ($1.date, $1.time ?? "") }

    // The checklist: more settled the longer the case has run.
    let order: [EnquiryItem] = [
      .lastSchool, .emergencyContacts, .homeVisit, .health, .neighboursHousing, .socialCare, .police, .otherLAs,
      .schoolToSchool, .lostPupilCTF,
    ]
    let mustExhaust = c.outcome == .lostPupilUntraceable
    let settled = mustExhaust ? order.count : Swift.min(order.count, 2 + span / 8)
    for (i, item) in order.prefix(settled).enumerated() {
      if item == .homeVisit && homeVisit == nil && !mustExhaust { continue }
      let on =
        item == .homeVisit
        ? (homeVisit ?? weekday(c.openedOn.adding(days: 1)))
        : Swift.min(end, weekday(c.openedOn.adding(days: 1 + i * Swift.max(1, span / 12))))
      k.enquiries.append(
        (
          item, Swift.min(on, end),
          rng.pick([
            "No trace of the child.", "Not known to this service.", "Confirmed last known address only.",
            "Record found: family moved in the last month.",
          ])
        ))
    }
    if c.reason == .believedMovedOutOfCountry && rng.chance(0.6) {
      k.enquiries.append(
        (.homeOffice, Swift.min(end, weekday(c.openedOn.adding(days: 10))), "Border Force: exit recorded at Stansted."))
    }
    if rng.chance(0.3) { k.enquiries.append((.ministryOfDefence, nil, "Not a Service family.")) }
    // Most deleting schools send the lost-pupil CTF within the 15 school days.
    if let deleted = c.deletionDate, !c.whereaboutsKnown, !k.enquiries.contains(where: { $0.item == .lostPupilCTF }),
      rng.chance(0.85)
    {
      let sent = weekday(deleted.adding(days: 3 + rng.below(15)))
      if sent <= end {
        k.enquiries.append((.lostPupilCTF, sent, "The school's CTF to XXX is on the lost pupil database."))
      }
    }
    if c.outcome == .movedAbroadUnconfirmed && !k.enquiries.contains(where: { $0.item == .lostPupilCTF }) {
      k.enquiries.append((.lostPupilCTF, end, "CTF sent to XXX via S2S."))
    }

    // Multi-agency actions.
    let asks: [(Agency, String)] = [
      (.school, "Send siblings' schools and all emergency contacts"), (.admissions, "Process the in-year application"),
      (.health, "Check GP registration and health visitor records"),
      (.housing, "Confirm tenancy status and any forwarding address"),
      (.police, "PNC and missing-person check"), (.otherLA, "Ask the other LA's CME officer to check their register"),
      (.socialCare, "Check children's social care records"),
    ]
    for n in 0..<rng.int(0...3) {
      let raised = weekday(c.openedOn.adding(days: 1 + n * 3))
      guard raised <= end else { break }
      let (agency, text) = rng.pick(asks)
      let due = weekday(raised.adding(days: rng.int(5...15)))
      var history: [(state: ActionState, note: String?, on: LocalDate)] = [(.open, nil, raised)]
      var state = ActionState.open
      var note: String?
      if c.status == .closed || due < asOf {
        state =
          c.status == .closed
          ? rng.weighted([(.done, 85), (.cancelled, 15)])
          : rng.weighted([(.done, 60), (.accepted, 15), (.open, 10), (.declined, 10), (.cancelled, 5)])
      } else {
        state = rng.chance(0.5) ? .accepted : .open
      }
      if state != .open {
        let on = Swift.min(end, raised.adding(days: 2))
        if state != .declined { history.append((.accepted, nil, on)) }
        switch state {
        case .done:
          note = rng.pick([
            "Checked: no record of the child.", "Confirmed: family left the tenancy.", "Offer of a place made.",
          ])
        case .declined: note = "Not held by this service; refer to the other LA."
        case .cancelled: note = "No longer needed: the child was found."
        default: break
        }
        if state != .accepted { history.append((state, note, Swift.min(end, due))) }
      }
      k.actions.append(
        (
          CaseAction(
            id: 0, caseReference: ref, agency: agency, description: text, dueOn: due,
            owner: rng.chance(0.6) ? rng.pick(["J. Patel", "PC Harris", "Dr Okoye", "S. Lewis"]) : nil, state: state,
            note: note, raisedBy: lead, raisedOn: raised), history
        ))
    }

    if c.reason == .schoolApplicationAwaitingOutcome && rng.chance(0.2), let d = day(within: 5...20) {
      k.fairAccessReferred = d
    }

    if let closed = c.closedOn, let outcome = c.outcome {
      var e = ClosureEvidence(text: c.outcomeEvidence ?? "")
      switch outcome {
      case .onRollLASchool, .onRollOtherLASchool, .onRollIndependent:
        e.school = String(100_000 + rng.below(50_000))
        e.startDate = closed
      case .movedAbroadConfirmed:
        e.school = rng.pick([
          "Szkoła Podstawowa nr 12, Warsaw", "Școala Gimnazială nr. 3, Iași", "Escola Básica de Benfica, Lisbon",
        ])
        e.newAddress = rng.pick(["ul. Długa 5, Warsaw", "Str. Florilor 11, Iași", "Rua da Paz 20, Lisbon"])
        e.confirmation = "Receiving school confirmed by email that the child is on roll and attending"
      case .transferredToOtherLACME:
        e.confirmation = "Other LA's CME officer accepted the referral"
        e.destinationLA = rng.pick(["892", "926", "855", "830", "831", "925"])
      case .eheSuitable: e.confirmation = "EHE adviser assessed the provision as suitable"
      case .apOrEOTASPlaced: e.startDate = closed
      case .fullTimeRestored:
        e.startDate = closed
        e.confirmation = "School confirmed the full-time timetable in writing"
      default: break
      }
      k.closureEvidence = e
    }
  }

  static func check(rag: RAG, rng: inout SeededRandom) -> (outcome: CheckOutcome, satisfactory: Bool, note: String) {
    let outcome: CheckOutcome =
      rag == .red
      ? rng.weighted([(.escalated, 35), (.actionRequired, 55), (.explained, 10)])
      : rag == .amber
        ? rng.weighted([(.actionRequired, 50), (.explained, 45), (.escalated, 5)])
        : rng.weighted([(.explained, 85), (.actionRequired, 15)])
    let note: String =
      switch outcome {
      case .explained:
        rng.pick([
          "Family in contact; start date agreed with the school.",
          "Application with admissions; offer expected this week.",
          "Confirmed living with aunt out of area; transfer to other LA under way.",
        ])
      case .actionRequired:
        rng.pick([
          "No contact for three weeks: repeat home visit at a different time of day.",
          "Chase the previous school for siblings' schools and emergency contacts.",
          "Check with health (GP registration) and housing.",
        ])
      case .escalated:
        rng.pick([
          "Referred to MASH: child not seen since referral.", "Escalated to police missing-person coordinator.",
          "Raised with the service director for decision.",
        ])
      }
    return (outcome, outcome == .explained || (outcome == .actionRequired && rng.chance(0.1)), note)
  }

  static let overrideReasons: [RAG: [String]] = [
    .red: [
      "Sibling recently subject to s47 enquiry; treat as red until the child is seen.",
      "Neighbours report the family left suddenly at night.",
    ],
    .amber: [
      "Social worker saw the child at home last week; whereabouts now known, education still missing.",
      "Child seen at GP surgery; family engaging with admissions.",
    ],
    .green: ["Start date confirmed by the receiving school; awaiting first day."],
  ]

  static func outcome(for reason: CaseReason, rng: inout SeededRandom) -> ClosureOutcome {
    switch reason {
    case .believedMovedOutOfCountry:
      rng.weighted([
        (.movedAbroadConfirmed, 55), (.movedAbroadUnconfirmed, 15), (.onRollLASchool, 15), (.lostPupilUntraceable, 15),
      ])
    case .whereaboutsUnknown:
      rng.weighted([
        (.onRollOtherLASchool, 35), (.transferredToOtherLACME, 25), (.onRollLASchool, 15), (.lostPupilUntraceable, 20),
        (.movedAbroadConfirmed, 5),
      ])
    case .eheUnsuitable: rng.weighted([(.onRollLASchool, 60), (.eheSuitable, 40)])
    case .permExcludedNoProvision: rng.weighted([(.apOrEOTASPlaced, 70), (.onRollLASchool, 30)])
    case .partTimeTimetable, .informalExclusion, .lookedAfterNoSuitablePlace:
      rng.weighted([(.fullTimeRestored, 75), (.apOrEOTASPlaced, 15), (.onRollLASchool, 10)])
    default:
      rng.weighted([
        (.onRollLASchool, 70), (.onRollOtherLASchool, 12), (.onRollIndependent, 5), (.transferredToOtherLACME, 6),
        (.ceasedCompulsorySchoolAge, 3), (.duplicateOrError, 1), (.eheSuitable, 3),
      ])
    }
  }

  static func evidence(for outcome: ClosureOutcome, on day: LocalDate) -> String {
    switch outcome {
    case .onRollLASchool, .onRollOtherLASchool, .onRollIndependent:
      "Receiving school confirmed the child started on \(day); CTF received."
    case .transferredToOtherLACME: "Other LA's CME officer confirmed residence and accepted the referral on \(day)."
    case .eheSuitable: "Written EHE notice received; EHE adviser assessed provision as suitable on \(day)."
    case .movedAbroadConfirmed:
      "New address and school abroad given; receiving school confirmed attendance by email on \(day); CTF to MMM."
    case .movedAbroadUnconfirmed: "Family said they moved abroad; no confirmation. CTF sent to XXX."
    case .apOrEOTASPlaced: "Alternative provision placement started \(day)."
    case .lostPupilUntraceable: "All enquiries exhausted; lost-pupil CTF uploaded to S2S on \(day)."
    case .ceasedCompulsorySchoolAge: "Child reached the end of compulsory school age."
    case .deceased, .custody: "Confirmed by the relevant agency on \(day)."
    case .duplicateOrError: "Duplicate of another record; merged."
    case .fullTimeRestored: "School confirmed a full-time timetable from \(day)."
    }
  }

  /// A valid, unique UPN for child number `i`: a local LA and school, and a
  /// serial that is a bijection of `i`, with the right check letter.
  static func upn(number i: Int, rng: inout SeededRandom) -> UPN? {
    let la = rng.pick(["891", "892", "926", "855", "830", "831"])
    let mixed = (UInt64(i) &* 387_420_489) % 1_000_000_000  // odd multiplier: a bijection mod 10^9
    let digits = pad(Int(mixed), 9)
    let tail = Array(la + digits)
    let check = UPN.checkLetter(forLast12: tail[0..<12])
    return try? UPN.validate(String(check) + la + digits).get()
  }

  static let ethnicities: [(String, Double)] = [
    ("WBRI", 50), ("WENG", 3), ("WOTH", 3), ("WEEU", 3), ("WPOR", 1), ("WALB", 1), ("WIRI", 0.5),
    ("WIRT", 1.5), ("WROG", 1.5), ("WROR", 2), ("BCRB", 2.5), ("MWBC", 3), ("BSOM", 1.5), ("BNGN", 1.5),
    ("BAFR", 1.5), ("BOTH", 0.8), ("MWBA", 1), ("MWAS", 1.5), ("MOTH", 2), ("AIND", 2.5), ("APKN", 4),
    ("ABAN", 1.5), ("AOTH", 1.5), ("CHNE", 0.5), ("OOTH", 1), ("OARA", 1), ("REFU", 1), ("NOBT", 3),
  ]
}

/// `n` in decimal, left-padded with zeros to `width` digits.
public func pad(_ n: Int, _ width: Int) -> String {
  let t = String(n)
  return String(repeating: "0", count: Swift.max(0, width - t.count)) + t
}

/// Invented names and places for demo data.
enum Names {
  static let girls = [
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia", "Grace", "Freya", "Aisha",
    "Maryam", "Zainab", "Hafsa", "Chloe", "Ruby", "Ella", "Evie", "Amira", "Leah", "Maja", "Zuzanna", "Esther", "Nia",
    "Shanice", "Precious", "Kayla", "Bethany", "Roxanne", "Tiana", "Fatima", "Hodan", "Ayaan",
  ]
  static let boys = [
    "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry", "Jack", "Charlie",
    "Freddie", "Theo", "Jayden", "Tyrese", "Kai", "Ibrahim", "Yusuf", "Omar", "Mohamed", "Abdi", "Jakub", "Filip",
    "Luca", "Reuben", "Levi", "Tommy", "Johnny", "Kacper", "Dante", "Marcus", "Ethan", "Mason", "Riley",
  ]
  static let adults = [
    "Sarah", "Emma", "Claire", "Joanne", "Michelle", "Amina", "Nadia", "Agnieszka", "Marcia", "Donna", "Kelly", "David",
    "Paul", "Mark", "Ahmed", "Tariq", "Jason", "Leroy", "Patrick", "Mary",
  ]
  static let surnames = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan", "Ali", "Hussain",
    "Ahmed", "Begum", "Clarke", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green",
    "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Kowalski", "Nowak", "Wiśniewski", "Mohamed", "Abdi",
    "Hassan", "Farah", "Campbell", "Francis", "Gordon", "Lee", "O'Brien", "McDonagh", "Ward", "Doherty", "Price",
    "Lovell", "Boswell", "Smith-Lee", "Okafor", "Mensah", "Murray", "Gill", "Singh", "Kaur",
  ]
  static let streets = [
    "Mansfield Road", "Alfreton Road", "Carlton Road", "Hucknall Lane", "Station Street", "Church Lane",
    "Victoria Street", "Park Avenue", "Queens Drive", "Meadow Lane", "Sneinton Dale", "Radford Road", "Beechdale Road",
    "Bulwell Lane", "Mill Street", "Trent Boulevard", "Eastwood Road", "Ollerton Road", "Sherwood Rise",
    "Gladstone Terrace",
  ]
  static let towns = [
    "Nottingham", "Mansfield", "Worksop", "Newark", "Eastwood", "Hucknall", "Beeston", "Arnold", "Retford",
    "Kirkby-in-Ashfield",
  ]
  static let districts = [
    "NG1", "NG2", "NG3", "NG5", "NG6", "NG7", "NG8", "NG9", "NG11", "NG15", "NG16", "NG17", "NG18", "NG19", "NG20",
    "NG21", "NG22", "NG24", "S80", "S81", "DN22",
  ]
  static let inwardLetters = [
    "A", "B", "D", "E", "F", "G", "H", "J", "L", "N", "P", "Q", "R", "S", "T", "U", "W", "X", "Y", "Z",
  ]
}

extension DemoRegister {
  /// A synthetic school-census baseline for the demo authority: a school-age
  /// population about sixty times the register's children, distributed like
  /// an English county's (the register over-represents some groups, as the
  /// published evidence suggests).
  public var populationBaseline: PopulationBaseline {
    let total = children * 60
    func share(_ p: Double) -> Int { Int((Double(total) * p).rounded()) }
    let ethnicity: [String: Double] = [
      "WBRI": 0.680, "WIRI": 0.004, "WIRT": 0.002, "WROM": 0.004, "WOTH": 0.070, "MWBC": 0.018, "MWBA": 0.008,
      "MWAS": 0.012,
      "MOTH": 0.018, "AIND": 0.030, "APKN": 0.040, "ABAN": 0.012, "AOTH": 0.015, "BAFR": 0.030, "BCRB": 0.009,
      "BOTH": 0.005,
      "CHNE": 0.005, "OOTH": 0.015, "REFU": 0.008, "NOBT": 0.015,
    ]
    var counts: [String: [String: Int]] = ["total": ["all": total]]
    counts["ethnicity"] = ethnicity.mapValues(share)
    counts["named-group"] = [
      "Black Caribbean": share(0.009), "White and Black Caribbean": share(0.018), "Somali": share(0.006),
      "Gypsy/Roma": share(0.004), "Irish Traveller": share(0.002),
    ]
    counts["sex"] = ["F": share(0.49), "M": share(0.51), "U": share(0.001)]
    counts["sen"] = ["E": share(0.045), "K": share(0.135), "N": share(0.82)]
    counts["looked-after"] = ["yes": share(0.007)]
    counts["child-in-need"] = ["yes": share(0.03)]
    counts["child-protection"] = ["yes": share(0.005)]
    counts["fsm"] = ["yes": share(0.25)]
    counts["eal"] = ["yes": share(0.20)]
    counts["disability"] = ["yes": share(0.04)]
    counts["service-child"] = ["yes": share(0.01)]
    return PopulationBaseline(counts: counts)
  }
}
