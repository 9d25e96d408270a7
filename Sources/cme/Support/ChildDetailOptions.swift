import ArgumentParser
import CMEDomain
import Foundation

/// The details of a child that `child add` records and `child update`
/// changes: the same options, read the same way.
struct ChildDetailOptions: ParsableArguments {
  @Option(help: "Preferred surname, if different.") var preferredSurname: String?
  @Option(help: "Preferred forename, if different.") var preferredForename: String?
  @Option(help: "A former name or alias (repeatable; added to those recorded).") var formerName: [String] = []
  @Option(help: "Sex, as the DfE codes it.") var sex: Sex?
  @Option(help: "Gender identity, as the child or family stated it.") var genderIdentity: String?
  @Option(help: "Unique Pupil Number (a new one keeps the old as a former UPN).") var upn: String?
  @Option(help: "DfE ethnicity code, main or extended (e.g. WBRI, MWBC, BSOM, WROM).") var ethnicity: String?
  @Option(help: "Who gave the ethnicity: parent, pupil or ascribed (by a school).")
  var ethnicitySource: EthnicitySource?
  @Option(help: "DfE first-language code: ENG, ENB, OTH, OTB, REF, NOT or an extended code (POL, UKR, RMN, PAT…).")
  var language: String?
  @Option(help: "Religion or belief, as stated.") var religion: String?
  @Option(help: "SEN provision: E (EHC plan), K (SEN support) or N.") var sen: String?
  @Option(help: "Disability, as recorded.") var disability: String?
  @Option(help: "LA number of the authority looking after the child.") var careAuthority: String?
  @Option(help: "Free school meals eligibility, yes or no, when the periods are not known.") var fsm: YesNo?
  @Option(
    help:
      "A period of free-school-meal eligibility, FROM:TO or FROM: while it lasts, :WLS/:SCO/:NIR after it if not England (repeatable; added to those recorded)."
  )
  var fsmPeriod: [String] = []
  @Option(help: "Service child (a parent in the armed forces): yes, no, refused or not-known.")
  var serviceChild: ServiceChild?
  @Option(help: "Sexual orientation, only where the child chose to state it.") var sexualOrientation: String?
  @Option(help: "Circumstances, in words.") var circumstances: String?
  @Option(help: "An address (one line); a new one ends the current one the day before --address-from.")
  var address: String?
  @Option(help: "Postcode of the address.") var postcode: String?
  @Option(help: "The day the child moved to the address, YYYY-MM-DD.") var addressFrom: String?
  @Option(
    help:
      "A parent or carer as \"NAME;RELATIONSHIP;PHONE;PR;LIVES\" (PR: parental responsibility yes/no, default yes for a parent or guardian; LIVES: lives with the child yes/no, default yes; repeatable; added to those recorded)."
  )
  var carer: [String] = []
  @Option(help: "Last school: 6-digit URN, or LA/establishment number like 892/4001.") var lastSchool: String?

  /// Every option read with the domain's parsers, or the first that is wrong.
  func parsed() throws -> ChildDetails {
    var d = ChildDetails()
    d.preferredSurname = optionalText(preferredSurname)
    d.preferredForename = optionalText(preferredForename)
    d.formerNames = formerName.compactMap(optionalText)
    d.sex = sex
    d.genderIdentity = optionalText(genderIdentity)
    d.upn = try parseOptional(upn) { try UPN.parse($0, field: "--upn") }
    d.ethnicity = try parseOptional(ethnicity) { try Ethnicity.parse($0, field: "--ethnicity") }
    d.language = try parseOptional(language) { try LanguageCode.parse($0, field: "--language") }
    d.religion = optionalText(religion)
    d.sen = try parseOptional(sen) { try SENProvision.parse($0, field: "--sen") }
    d.disability = optionalText(disability)
    d.careAuthority = try parseOptional(careAuthority) { try LACode.Table.default.parse($0, field: "--care-authority") }
    d.freeSchoolMeals = fsm?.isYes
    d.ethnicitySource = ethnicitySource
    d.fsmPeriods = try fsmPeriod.map { try FSMPeriod.parse($0, field: "--fsm-period") }
    d.serviceChild = serviceChild
    d.sexualOrientation = optionalText(sexualOrientation)
    d.circumstances = optionalText(circumstances)
    if let address = optionalText(address) {
      d.address = Address(
        text: address, postcode: try parseOptional(postcode) { try Address.parsePostcode($0, field: "--postcode") },
        from: try parseOptional(addressFrom) { try LocalDate.parse($0, field: "--address-from") })
    } else if postcode != nil || addressFrom != nil {
      throw InvalidInput(
        field: "--postcode", problem: "a postcode or move-in date is given without --address",
        fix: "Add --address \"12 High Street, Town\"")
    }
    d.carers = try carer.map { try Carer.parse($0, field: "--carer") }
    d.lastSchool = try parseOptional(lastSchool) { try SchoolRef.parse($0, field: "--last-school") }
    return d
  }
}

/// A child's details as given on the command line, already read.
struct ChildDetails {
  var preferredSurname: String?
  var preferredForename: String?
  var formerNames: [String] = []
  var sex: Sex?
  var genderIdentity: String?
  var upn: UPN?
  var ethnicity: Ethnicity?
  var language: LanguageCode?
  var religion: String?
  var sen: SENProvision?
  var disability: String?
  var careAuthority: String?
  var freeSchoolMeals: Bool?
  var ethnicitySource: EthnicitySource?
  var fsmPeriods: [FSMPeriod] = []
  var serviceChild: ServiceChild?
  var sexualOrientation: String?
  var circumstances: String?
  var address: Address?
  var carers: [Carer] = []
  var lastSchool: SchoolRef?

  /// Fills a new child's record.
  func fill(_ c: inout Child) throws {
    try change(&c, movingAddress: false)
  }

  /// Changes what was given and leaves the rest: lists grow, a new UPN keeps
  /// the old as a former one, and (`movingAddress`) a new address is a move
  /// that ends the current one.
  func change(_ c: inout Child, movingAddress: Bool = true) throws {
    if let preferredForename { c.preferredForename = preferredForename }
    if let preferredSurname { c.preferredSurname = preferredSurname }
    c.formerNames += formerNames
    if let sex { c.sex = sex }
    if let genderIdentity { c.genderIdentity = genderIdentity }
    if let upn { c.replaceUPN(with: upn) }
    if let ethnicity { c.ethnicity = ethnicity }
    if let language { c.firstLanguage = language }
    if let religion { c.religion = religion }
    if let sen { c.senProvision = sen }
    if let disability { c.disability = disability }
    if let careAuthority { c.careAuthority = careAuthority }
    if let freeSchoolMeals { c.freeSchoolMeals = freeSchoolMeals }
    if let ethnicitySource { c.ethnicitySource = ethnicitySource }
    c.fsmPeriods += fsmPeriods.filter { !c.fsmPeriods.contains($0) }
    c.fsmPeriods.sort { ($0.start, $0.country) < ($1.start, $1.country) }
    if let serviceChild { c.serviceChild = serviceChild }
    if let sexualOrientation { c.sexualOrientation = sexualOrientation }
    if let circumstances { c.circumstances = circumstances }
    if let address {
      if movingAddress { try c.move(to: address) } else { c.addresses = [address] }
    }
    c.carers += carers
    if let lastSchool { c.lastSchool = lastSchool }
  }
}
