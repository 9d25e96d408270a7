import CMEDomain
import CMEStore
import Foundation
import HTTPTypes
import Hummingbird

/// Options of a closed list for a `<select>` or radios, with the chosen one marked.
func choices<L: ClosedList>(_ type: L.Type, selected: String) -> [[String: Any]] {
  L.allCases.map { ["value": $0.rawValue, "label": sentence($0.label), "selected": $0.rawValue == selected] }
}

extension WebApp {
  func addWorkRoutes(to router: Router<WebContext>) {
    router.get("/") { request, context in
      let state = context.signedIn!
      switch state.session.user.role {
      case .board: return WebApp.seeOther("/board")
      case .admin: return WebApp.seeOther("/admin")
      case .caseworker, .manager: break
      }
      let done = request.uri.queryParameters["done"].map(String.init)
      let all = request.uri.queryParameters["all"] != nil
      return await self.respond(state) {
        let work = try self.register.myWork(
          by: state.session, today: self.today, since: state.previousSignIn, limit: all ? nil : 50,
          actionLimit: all ? nil : 100)
        return self.views.page(
          "my-work", title: "My work", state: state, self.myWorkView(work),
          flash: done.flatMap { WebApp.accountMessages[$0] }, section: "work")
      }
    }

    router.get("/find") { request, context in
      let state = context.signedIn!
      // Read as a form is: a space typed in the box arrives as "+".
      let q = try Form.parse(request.uri.query ?? "")["q"]
      guard !q.trimmingCharacters(in: .whitespaces).isEmpty else {
        return self.views.page("find", title: "Find a child", state: state, ["q": ""], section: "find")
      }
      return await self.respond(state) {
        do {
          let search = try self.register.findChildren(q, by: state.session, limit: 50)
          return self.views.page(
            "find", title: "Find a child", state: state,
            [
              "q": q, "searched": true, "count": search.children.count, "none": search.children.isEmpty,
              "more": search.more,
              "results": search.children.map { c -> [String: Any] in
                [
                  "id": String(c.id), "name": c.name, "dob": c.dateOfBirth.description, "upn": c.upn ?? "",
                  "openCase": c.openCase ?? "",
                ]
              },
            ], section: "find")
        } catch let e as InvalidInput {
          var errors = FormErrors()
          errors.add(e, fields: [:], fallback: "q")
          return self.views.page(
            "find", title: "Find a child", state: state, status: .unprocessableContent, ["q": TextRules.visible(q)],
            errors: errors,
            section: "find")
        }
      }
    }

    router.get("/children/:id") { _, context in
      let state = context.signedIn!
      guard let id = context.parameters.get("id", as: Int64.self) else {
        return self.failure(StoreError.notFound(what: "child", key: context.parameters.get("id") ?? ""), state: state)
      }
      return await self.respond(state) {
        let record = try self.register.childRecord(id: id, viewedBy: state.session)
        return self.views.page(
          "child", title: record.child.displayName, state: state, self.childView(record), section: "find")
      }
    }

    router.get("/cases/:ref") { request, context in
      let state = context.signedIn!
      let done = request.uri.queryParameters["done"].map(String.init)
      return await self.respond(state) {
        let ref = try CaseReference.parse(context.parameters.get("ref") ?? "", field: "case")
        return try self.casePage(ref, state: state, flash: done.flatMap { WebApp.doneMessages[$0] })
      }
    }

    router.post("/cases/:ref/visits") { request, context in
      try await self.caseForm(request, context, form: "visit") { ref, form, state in
        let date = try LocalDate.parse(form["date"], field: "date")
        let seen: Bool? =
          switch form["childSeen"] {
          case "yes": true
          case "no": false
          default: nil
          }
        _ = try self.register.logVisit(
          ref, type: try VisitType.parse(form["type"], field: "type"), date: date, time: nil, childSeen: seen,
          outcome: form["outcome"], nextStep: form.optional("nextStep"), agency: nil, by: state.session,
          today: self.today)
        return "visit"
      }
    }

    router.post("/cases/:ref/actions") { request, context in
      try await self.caseForm(request, context, form: "action") { ref, form, state in
        _ = try self.register.addAction(
          ref, agency: try Agency.parse(form["agency"], field: "agency"), description: form["description"],
          due: try LocalDate.parse(form["due"], field: "due"), owner: form.optional("owner"), by: state.session,
          today: self.today)
        return "action"
      }
    }

    router.post("/cases/:ref/actions/:id") { request, context in
      try await self.caseForm(request, context, form: "actionState") { _, form, state in
        guard let id = context.parameters.get("id", as: Int64.self) else {
          throw StoreError.notFound(what: "action", key: context.parameters.get("id") ?? "")
        }
        _ = try self.register.moveAction(
          id, to: try ActionState.parse(form["state"], field: "state"), note: form.optional("note"), by: state.session)
        return "actionState"
      }
    }

    router.post("/cases/:ref/rag") { request, context in
      try await self.caseForm(request, context, form: "rag") { ref, form, state in
        _ = try self.register.setRating(
          ref, to: try RAG.parse(form["rating"], field: "rating"), reason: form.optional("reason"),
          ifVersion: Int64(form["version"]), by: state.session, today: self.today)
        return "rag"
      }
    }

    router.post("/cases/:ref/enquiries") { request, context in
      try await self.caseForm(request, context, form: "enquiry") { ref, form, state in
        try self.register.markEnquiryDone(
          ref, item: try EnquiryItem.parse(form["item"], field: "item"), result: form["result"], visitId: nil,
          on: nil, by: state.session, today: self.today)
        return "enquiry"
      }
    }

    router.post("/cases/:ref/close") { request, context in
      try await self.caseForm(request, context, form: "close") { ref, form, state in
        let evidence = ClosureEvidence(
          text: form["evidence"], school: form.optional("school"),
          startDate: try form.optional("startDate").map { try LocalDate.parse($0, field: "startDate") },
          newAddress: form.optional("newAddress"), confirmation: form.optional("confirmation"))
        _ = try self.register.closeCase(
          ref, outcome: try ClosureOutcome.parse(form["outcome"], field: "outcome"), evidence: evidence, on: nil,
          ifVersion: Int64(form["version"]), by: state.session, today: self.today)
        return "close"
      }
    }

    router.post("/cases/:ref/reopen") { request, context in
      try await self.caseForm(request, context, form: "reopen") { ref, form, state in
        _ = try self.register.reopenCase(
          ref, reason: form["reason"], on: nil, ifVersion: Int64(form["version"]), by: state.session,
          today: self.today)
        return "reopen"
      }
    }
  }

  static let accountMessages: [String: String] = [
    "password": "Your password has been changed.",
    "second-factor": "Your second factor is on: from now on you will be asked for a code when you sign in.",
  ]

  static let doneMessages: [String: String] = [
    "visit": "The visit has been logged.", "action": "The action has been raised.",
    "actionState": "The action has been updated.", "rag": "The RAG rating has been set.",
    "enquiry": "The enquiry has been recorded.", "close": "The case has been closed.",
    "reopen": "The case has been reopened.", "check": "The register check has been recorded.",
  ]

  /// Handles a form on a case page: reads it, runs `body` once (a form sent
  /// twice gets the first answer), and redirects to the case page, or shows
  /// the page again with the errors and what was typed.
  func caseForm(
    _ request: Request, _ context: WebContext, form name: String,
    _ body: @escaping @Sendable (CaseReference, Form, WebSessionState) throws -> String
  ) async throws -> Response {
    let state = context.signedIn!
    let form = try await self.form(request, context)
    let refText = context.parameters.get("ref") ?? ""
    return try await once(form["formId"]) {
      await respond(state) {
        let ref = try CaseReference.parse(refText, field: "case")
        do {
          let done = try body(ref, form, state)
          return WebApp.seeOther("/cases/\(ref)?done=\(done)#top")
        } catch let e as InvalidInput {
          var errors = FormErrors()
          errors.add(e, fields: ["CASE": "\(name)-outcome", "note": "\(name)-note"], fallback: "\(name)-\(e.field)")
          return try self.casePage(ref, state: state, errors: errors, typed: (name, form))
        }
      }
    }
  }

  // MARK: - Views

  func myWorkView(_ work: MyWork) -> [String: Any] {
    [
      "cases": work.cases.map { c -> [String: Any] in
        [
          "reference": c.summary.reference, "name": c.summary.childName, "age": c.age,
          "rag": c.summary.rag?.rawValue ?? "not rated", "ragClass": c.summary.rag?.rawValue ?? "none",
          "suggested": c.suggestion.rating.rawValue, "daysOpen": c.daysOpen,
          "reason": sentence(c.summary.reason.label),
          "seen": c.assessment.lastSeen.map { "seen \($0)" } ?? "not seen",
          "overdueActions": c.assessment.overdueActions,
        ]
      },
      "hasCases": !work.cases.isEmpty, "caseCount": work.totalCases,
      "partial": work.cases.count < work.totalCases, "shown": work.cases.count,
      "actions": work.actions.map { a -> [String: Any] in
        [
          "reference": a.action.caseReference, "agency": sentence(a.action.agency.label),
          "description": a.action.description, "due": a.action.dueOn.description,
          "overdue": a.schoolDaysOverdue > 0, "late": a.schoolDaysOverdue, "escalate": a.escalate,
          "state": a.action.state.rawValue,
        ]
      },
      "hasActions": !work.actions.isEmpty,
      "moreActions": (work.totalActionsBounded ? "over " : "") + String(work.totalActions - work.actions.count),
      "hasMoreActions": work.totalActions > work.actions.count,
      "clocks": work.clocks.map { c -> [String: Any] in
        [
          "reference": c.reference, "label": c.clock.label, "due": c.clock.dueOn?.description ?? "",
          "overdue": c.clock.isBreach, "detail": c.clock.detail,
        ]
      },
      "hasClocks": !work.clocks.isEmpty,
      "allocated": work.allocatedSince.map { ["reference": $0.reference, "name": $0.childName] },
      "hasAllocated": !work.allocatedSince.isEmpty,
      "since": work.since ?? "",
    ]
  }

  func childView(_ record: ChildRecord) -> [String: Any] {
    let c = record.child
    var rows: [[String: String]] = [
      ["key": "Legal name", "value": "\(c.legalForename) \(c.legalSurname)"],
      ["key": "Date of birth", "value": c.dateOfBirth.description],
      ["key": "Sex", "value": c.sex.label],
      ["key": "UPN", "value": c.upn?.description ?? "not known"],
    ]
    if let address = c.currentAddress {
      rows.append(["key": "Address", "value": [address.text, address.postcode ?? ""].joined(separator: " ")])
    }
    if !c.carers.isEmpty {
      rows.append([
        "key": "Carers", "value": c.carers.map { "\($0.name) (\($0.relationship))" }.joined(separator: "; "),
      ])
    }
    if !c.safeguardingMarkers.isEmpty {
      rows.append(["key": "Safeguarding", "value": c.safeguardingMarkers.joined(separator: "; ")])
    }
    return [
      "id": String(c.id ?? 0), "name": c.displayName, "rows": rows,
      "cases": record.cases.map { s -> [String: Any] in
        [
          "reference": s.reference, "status": s.status.rawValue, "reason": sentence(s.reason.label),
          "opened": s.openedOn.description, "rag": s.rag?.rawValue ?? "not rated",
        ]
      },
    ]
  }

  func casePage(
    _ ref: CaseReference, state: WebSessionState, flash: String? = nil, errors: FormErrors = FormErrors(),
    typed: (form: String, values: Form)? = nil
  ) throws -> Response {
    let detail = try register.caseDetail(ref, viewedBy: state.session, today: today)
    let c = detail.caseRecord
    let child = detail.child
    let a = detail.assessment
    let timetable: [[String: String]] =
      c.weeklyHours.map { [["key": "Timetable", "value": "\(WeeklyHours.text($0)) hours a week (part-time)"]] } ?? []
    var view: [String: Any] = [
      "reference": c.reference, "childId": String(c.childId), "name": child.displayName,
      "open": c.status == .open, "closed": c.status == .closed,
      "rows": [
        ["key": "Child", "value": child.displayName],
        ["key": "Date of birth", "value": "\(child.dateOfBirth) (age \(child.dateOfBirth.age(on: today)))"],
        ["key": "Status", "value": c.status == .open ? "open" : "closed \(c.closedOn?.description ?? "")"],
        ["key": "Reason", "value": sentence(c.reason.label)],
        ["key": "Register", "value": c.reason.scope.label],
        ["key": "Referral received", "value": c.referralReceivedOn.description],
        ["key": "Opened", "value": c.openedOn.description],
        ["key": "Deletion ground", "value": c.deletionGround.map { sentence($0.label) } ?? "none"],
        ["key": "Whereabouts", "value": c.whereaboutsKnown ? "known" : "unknown"],
        ["key": "Lead caseworker", "value": c.leadCaseworker ?? "none"],
      ] as [[String: String]] + timetable,
      "rag": c.rag?.rawValue ?? "not rated", "ragClass": c.rag?.rawValue ?? "none",
      "suggested": a.suggestion.rating.rawValue,
      "reasons": a.suggestion.reasons.map { ["rating": $0.rating.rawValue, "text": $0.text] },
      "clocks": a.clocks.map { k -> [String: Any] in
        [
          "label": k.label, "due": k.dueOn?.description ?? "", "state": k.state.rawValue, "overdue": k.isBreach,
          "detail": k.detail,
        ]
      },
      "timeline": detail.timeline.reversed().map { e -> [String: Any] in
        [
          "date": e.date.description, "kind": e.kind, "text": e.text, "by": e.by,
          "recorded": e.recordedOn?.description ?? false,
        ]
      },
      "actions": detail.actions.map { x -> [String: Any] in
        [
          "id": String(x.id), "agency": sentence(x.agency.label), "description": x.description,
          "due": x.dueOn.description, "state": x.state.rawValue,
          "live": x.state == .open || x.state == .accepted,
          "states": ActionState.allCases.filter { $0 != .open && $0 != x.state }.map {
            ["value": $0.rawValue, "label": sentence($0.label)]
          },
        ]
      },
      "enquiries": detail.enquiries.filter { $0.state == "outstanding" }.map { e -> [String: Any] in
        ["value": e.item.rawValue, "label": sentence(e.label), "required": e.required]
      },
      "visitTypes": choices(VisitType.self, selected: typed?.values["type"] ?? "home-visit"),
      "agencies": choices(Agency.self, selected: typed?.values["agency"] ?? ""),
      "ratings": choices(RAG.self, selected: typed?.values["rating"] ?? (c.rag?.rawValue ?? "")),
      "outcomes": choices(ClosureOutcome.self, selected: typed?.values["outcome"] ?? ""),
      "checkOutcomes": choices(CheckOutcome.self, selected: typed?.values["outcome"] ?? ""),
      "today": today.description,
      "formId": SubmittedForms.newId(), "version": String(detail.version),
      "canCheck": state.session.user.role == .manager && c.status == .open,
    ]
    if let typed {
      view["typed"] = typed.values.fields
      view["typedForm"] = [typed.form: true]
    }
    return views.page(
      "case", title: "\(c.reference) – \(child.displayName)", state: state,
      status: errors.isEmpty ? .ok : .unprocessableContent, view, errors: errors, flash: flash, section: "work")
  }
}
