import CMEDomain
import Foundation
import Testing

/// Reading a Common Transfer File and what its pupils mean for the register, without a register.
struct CTFTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!
  static let sample: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path + "/docs/samples/ctf-lost-pupil.xml"
  }()

  func ctf(version: String = "25.0", destLA: String = "XXX", destEstab: String = "XXXX", pupils: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <CTfile><Header><DocumentName>Common Transfer File</DocumentName><CTFversion>\(version)</CTFversion>
    <SourceSchool><LEA>892</LEA><Estab>4001</Estab><SchoolName>Hill Top</SchoolName></SourceSchool>
    <DestSchool><LEA>\(destLA)</LEA><Estab>\(destEstab)</Estab></DestSchool></Header>
    <CTFpupilData>\(pupils)</CTFpupilData></CTfile>
    """
  }

  let kai = "<Pupil><Surname>Lee</Surname><Forename>Kai</Forename><DOB>2015-01-01</DOB><Gender>M</Gender></Pupil>"

  /// Every pupil of `text`, checked and mapped.
  func pupils(_ text: String) throws -> [TransferredPupil] {
    var all: [TransferredPupil] = []
    try CTFFile.read(stream: InputStream(data: Data(text.utf8)), file: "t.xml", today: today) { all.append($0) }
    return all
  }

  /// The problem reading `text` raises.
  func problem(_ text: String) -> CTFProblem? {
    do {
      _ = try pupils(text)
      return nil
    } catch {
      return error as? CTFProblem
    }
  }

  @Test func the_sample_is_read_and_mapped_to_a_child_and_a_case() throws {
    let stream = try #require(InputStream(fileAtPath: Self.sample))
    var all: [TransferredPupil] = []
    try CTFFile.read(stream: stream, file: Self.sample, today: today) { all.append($0) }
    #expect(all.count == 1)
    let p = try #require(all.first)
    #expect(p.number == 1 && p.line == 22)
    #expect(p.header.version == "25.0" && p.header.sourceName == "Hill Top Primary School" && p.header.isLostPupil)
    let c = p.child
    #expect(c.legalSurname == "Ward" && c.legalForename == "Tommy" && c.preferredForename == "Tom")
    #expect(c.dateOfBirth == LocalDate(year: 2014, month: 3, day: 2) && c.sex == .male)
    #expect(c.upn?.value == "B801200005001" && c.formerUPNs.map(\.value) == ["G80120000101A"])
    #expect(c.ethnicity?.code == "WIRT" && c.isGypsyRomaTraveller && c.firstLanguage?.code == "ENG")
    #expect(c.senProvision == .senSupport && c.freeSchoolMeals == true && !c.lookedAfter)
    // The pupil's address, not a contact's; contacts become carers with their phones.
    #expect(c.addresses == [Address(text: "12, Meadow Lane, Nottingham", postcode: "NG2 3HJ")])
    #expect(
      c.carers == [
        Carer(
          name: "Mary Ward", relationship: "parent", phone: "07700 900123", livesWithChild: true,
          parentalResponsibility: true),
        Carer(
          name: "John Lovell", relationship: "relative", phone: "07700 900456", livesWithChild: false,
          parentalResponsibility: false),
      ])
    #expect(c.lastSchool == .laEstablishment(la: "892", establishment: "4001"))
    // To XXX: a whereabouts-unknown case, last attended on the leaving date.
    #expect(p.caseReason == .whereaboutsUnknown)
    #expect(p.caseNote == "CTF to XXX (destination unknown) from 892/4001")
    #expect(p.lastAttended == LocalDate(year: 2026, month: 10, day: 9))
    #expect(p.canonical == "ctf|892|4001|XXX|XXXX|B801200005001|ward|tommy|2014-03-02")
  }

  @Test func the_destination_decides_the_case() throws {
    #expect(try pupils(ctf(destLA: "MMM", destEstab: "MMMM", pupils: kai))[0].caseReason == .believedMovedOutOfCountry)
    #expect(try pupils(ctf(destLA: "891", destEstab: "2003", pupils: kai))[0].caseReason == nil)
    let older = try pupils(ctf(version: "24.0", destLA: "891", destEstab: "2003", pupils: kai))[0]
    // Version 24 files give Gender; with no school history the last school is the sender.
    #expect(older.child.sex == .male && older.child.lastSchool == .laEstablishment(la: "892", establishment: "4001"))
    #expect(older.child.freeSchoolMeals == nil && older.lastAttended == nil)
  }

  @Test func being_in_care_and_a_leaving_date_after_today_are_mapped_with_care() throws {
    let pupil = kai.replacingOccurrences(
      of: "</Pupil>",
      with:
        "<LookedAfter><InCare>true</InCare><CareAuthority>891</CareAuthority></LookedAfter><SchoolHistory><School><LEA>892</LEA><Estab>4001</Estab><LeavingDate>2026-12-18</LeavingDate></School></SchoolHistory></Pupil>"
    )
    let p = try pupils(ctf(pupils: pupil))[0]
    #expect(p.child.lookedAfter && p.child.careAuthority == "891")
    #expect(p.lastAttended == today)
  }

  @Test func free_school_meals_are_read_from_the_periods() {
    var p = CTFPupil()
    #expect(p.eligibleForFreeMeals(on: today) == nil)
    p.fsmPeriods = [(start: "2021-02-01", end: "2022-07-20", country: "ENG")]
    #expect(p.eligibleForFreeMeals(on: today) == false)
    p.fsmPeriods.append((start: "2026-11-01", end: nil, country: nil))
    #expect(p.eligibleForFreeMeals(on: today) == true)
    p.fsmPeriods = [(start: "2026-12-01", end: nil, country: nil)]
    #expect(p.eligibleForFreeMeals(on: today) == false)
  }

  @Test func a_bad_value_names_the_pupil_and_its_line() {
    let badUPN = kai.replacingOccurrences(of: "<Surname>", with: "<UPN>A801200005001</UPN><Surname>")
    let p = problem(ctf(pupils: kai + "\n" + badUPN))
    #expect(p?.line == 6)
    #expect(p?.message.hasPrefix("pupil 2 (Kai Lee): UPN A801200005001: ") == true)
    let noDOB = problem(ctf(pupils: kai.replacingOccurrences(of: "<DOB>2015-01-01</DOB>", with: "")))
    #expect(noDOB?.message.hasPrefix("pupil 1 (Kai Lee): ") == true)
    let noName = problem(ctf(pupils: kai.replacingOccurrences(of: "<Surname>Lee</Surname>", with: "")))
    #expect(noName?.message == "pupil 1 (Kai ): Surname and Forename are required")
  }

  @Test func a_pupil_given_twice_is_a_fault_in_the_file() {
    let twice = problem(ctf(pupils: kai + "\n" + kai.replacingOccurrences(of: "Kai", with: "KAI")))
    #expect(twice?.line == 6)
    #expect(twice?.message == "pupil 2 repeats pupil 1 (same pupil, from and to the same schools)")
  }

  @Test func malformed_cut_short_or_unsupported_files_are_refused() {
    let cut = problem(String(ctf(pupils: kai + kai).dropLast(40)))
    #expect(cut?.message.hasPrefix("the XML is malformed") == true)
    #expect((cut?.line ?? 0) > 1)
    #expect(
      problem(ctf(version: "19.0", pupils: kai))?.message
        == "CTF version 19.0 is not supported; cme reads versions 24 and 25")
    #expect(
      problem("<CTfile><CTFpupilData/></CTfile>")?.message
        == "no CTF header with a CTFversion; this is not a Common Transfer File")
  }
}
