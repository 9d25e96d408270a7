import CMEDomain
import CMEStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension WebApp {
  // MARK: - Register check (managers)

  func addCheckRoutes(to router: Router<WebContext>) {
    router.get("/register-check") { request, context in
      let state = context.signedIn!
      let done = request.uri.queryParameters["done"].map(String.init)
      return await self.respond(state) {
        try self.checkPage(state, flash: done.flatMap { WebApp.checkMessages[$0] })
      }
    }

    router.post("/register-check/cycle") { _, context in
      let state = context.signedIn!
      return await self.respond(state) {
        _ = try self.register.startCycle(by: state.session, today: self.today)
        return WebApp.seeOther("/register-check?done=cycle")
      }
    }

    router.post("/cases/:ref/check") { request, context in
      try await self.caseForm(request, context, form: "check") { ref, form, state in
        let rating = try form.optional("rating").map { try RAG.parse($0, field: "rag") }
        _ = try self.register.recordCheck(
          ref, outcome: try CheckOutcome.parse(form["outcome"], field: "outcome"), note: form["note"], rag: rating,
          explanation: nil, ifVersion: Int64(form["version"]), by: state.session, today: self.today)
        return "check"
      }
    }

    router.post("/register-check/confirm") { request, context in
      let state = context.signedIn!
      let form = try await self.form(request, context)
      return try await self.once(form["formId"]) {
        await self.respond(state) {
          do {
            let refs = try (form.repeated["cases"] ?? []).map { try CaseReference.parse($0, field: "cases") }
            let checks = try self.register.confirmExplanations(
              refs, note: form["note"], by: state.session, today: self.today)
            return WebApp.seeOther("/register-check?done=confirmed&n=\(checks.count)")
          } catch let e as InvalidInput {
            var errors = FormErrors()
            errors.add(e, fields: ["note": "confirm-note", "cases": "confirm-cases"], fallback: "confirm-note")
            return try self.checkPage(state, errors: errors, typedNote: form["note"])
          }
        }
      }
    }
  }

  static let checkMessages: [String: String] = [
    "cycle": "A register-check cycle has started.",
    "confirmed": "The explanations have been confirmed, one check for each case.",
  ]

  func checkPage(
    _ state: WebSessionState, flash: String? = nil, errors: FormErrors = FormErrors(), typedNote: String = ""
  ) throws -> Response {
    // The list is the register's, but the page is for those who check it.
    try state.session.user.require(.recordRegisterCheck)
    let (status, cases, remaining) = try register.casesToCheck(by: state.session, today: today, limit: 200)
    guard let cycle = status else {
      return views.page(
        "register-check", title: "Register check", state: state, ["noCycle": true], flash: flash, section: "check")
    }
    let rows = cases.map { c -> [String: Any] in
      [
        "reference": c.summary.reference, "name": c.summary.childName, "age": c.age,
        "rag": c.summary.rag?.rawValue ?? "not rated", "ragClass": c.summary.rag?.rawValue ?? "none",
        "suggested": c.suggestion.rating.rawValue, "daysOpen": c.daysOpen,
        "why": c.suggestion.reasons.first?.text ?? "", "lead": c.summary.leadCaseworker ?? "",
        "lastOutcome": c.lastOutcome?.rawValue ?? "never checked",
      ]
    }
    let confirmable = cases.filter { $0.lastOutcome == .explained }.map { c -> [String: Any] in
      [
        "reference": c.summary.reference, "name": c.summary.childName,
        "checkedAt": String((c.lastCheckedAt ?? "").prefix(10)),
      ]
    }
    let percent = cycle.percent
    return views.page(
      "register-check", title: "Register check", state: state, status: errors.isEmpty ? .ok : .unprocessableContent,
      [
        "cycle": cycle.cycle.id, "started": cycle.cycle.startedOn.description, "checked": cycle.checked,
        "total": cycle.total, "percent": percent, "remaining": remaining, "cases": rows, "shown": rows.count,
        "confirmable": confirmable, "hasConfirmable": !confirmable.isEmpty, "note": typedNote,
        "formId": SubmittedForms.newId(),
      ], errors: errors, flash: flash, section: "check")
  }

  // MARK: - Board

  func addBoardRoutes(to router: Router<WebContext>) {
    router.get("/board") { _, context in
      let state = context.signedIn!
      return await self.respond(state) {
        let meetings = try self.register.meetings(by: state.session)
        return self.views.page(
          "board", title: "Scrutiny board", state: state,
          [
            "meetings": meetings.map { m -> [String: Any] in
              ["id": String(m.id), "date": m.date.description, "chair": m.chair]
            },
            "none": meetings.isEmpty,
          ], section: "board")
      }
    }

    router.get("/board/meetings/:id") { request, context in
      let state = context.signedIn!
      let done = request.uri.queryParameters["done"] != nil
      guard let id = context.parameters.get("id", as: Int64.self) else {
        return self.failure(StoreError.notFound(what: "meeting", key: context.parameters.get("id") ?? ""), state: state)
      }
      return await self.respond(state) {
        try self.meetingPage(id, state: state, flash: done ? "The decision has been recorded." : nil)
      }
    }

    router.post("/board/meetings/:id/decisions") { request, context in
      let state = context.signedIn!
      let form = try await self.form(request, context)
      guard let id = context.parameters.get("id", as: Int64.self) else {
        return self.failure(StoreError.notFound(what: "meeting", key: context.parameters.get("id") ?? ""), state: state)
      }
      return try await self.once(form["formId"]) {
        await self.respond(state) {
          do {
            let ref = try CaseReference.parse(form["case"], field: "case")
            let kind = try BoardDecisionKind.parse(form["decision"], field: "decision")
            let details = Register.DecisionDetails(
              rag: try form.optional("rating").map { try RAG.parse($0, field: "rating") })
            _ = try self.register.decide(
              meeting: id, case: ref, decision: kind, note: form["note"], addToAgenda: false, details: details,
              by: state.session, today: self.today)
            return WebApp.seeOther("/board/meetings/\(id)?done=1")
          } catch let e as InvalidInput {
            var errors = FormErrors()
            errors.add(e, fields: ["note": "decision-note", "case": "decision-case"], fallback: "decision-note")
            return try self.meetingPage(id, state: state, errors: errors, typed: form)
          }
        }
      }
    }

    router.get("/board/meetings/:id/pack") { _, context in
      let state = context.signedIn!
      guard let id = context.parameters.get("id", as: Int64.self) else {
        return self.failure(StoreError.notFound(what: "meeting", key: context.parameters.get("id") ?? ""), state: state)
      }
      return await self.respond(state) {
        // The pack served on the web is always the anonymised one.
        let pack = try self.register.buildPack(meeting: id, format: "html", identifiable: false, by: state.session)
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"board-pack-meeting-\(id).html\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: pack.text)))
      }
    }
  }

  func meetingPage(
    _ id: Int64, state: WebSessionState, flash: String? = nil, errors: FormErrors = FormErrors(),
    typed: Form? = nil
  ) throws -> Response {
    let (meeting, agenda) = try register.meetingAgenda(id, by: state.session)
    return views.page(
      "meeting", title: "Board meeting \(meeting.date)", state: state,
      status: errors.isEmpty ? .ok : .unprocessableContent,
      [
        "id": String(meeting.id), "date": meeting.date.description, "chair": meeting.chair,
        "attendees": meeting.attendees.joined(separator: ", "),
        "agenda": agenda.map { a -> [String: Any] in
          [
            "reference": a.reference, "rag": a.rag?.rawValue ?? "not rated", "ragClass": a.rag?.rawValue ?? "none",
            "reasons": a.reasons, "opened": a.openedOn.description, "decisions": a.decisions,
            "previous": a.previousDecisions,
          ]
        },
        "cases": agenda.map { ["value": $0.reference, "selected": $0.reference == typed?["case"]] },
        "decisions": choices(BoardDecisionKind.self, selected: typed?["decision"] ?? ""),
        "ratings": choices(RAG.self, selected: typed?["rating"] ?? ""),
        "note": typed?["note"] ?? "", "formId": SubmittedForms.newId(),
        "canDecide": Permission.runBoard.roles.contains(state.session.user.role),
      ], errors: errors, flash: flash, section: "board")
  }

  // MARK: - Admin

  func addAdminRoutes(to router: Router<WebContext>) {
    router.get("/admin") { request, context in
      let state = context.signedIn!
      let done = request.uri.queryParameters["done"].map(String.init)
      return await self.respond(state) {
        try self.adminPage(state, flash: done.flatMap { WebApp.adminMessages[$0] })
      }
    }

    router.post("/admin/users") { request, context in
      let state = context.signedIn!
      let form = try await self.form(request, context)
      return await self.respond(state) {
        do {
          let role = try Role.parse(form["role"], field: "role")
          let user = try self.register.addUser(name: form["name"], role: role, by: state.session)
          let password = PasswordPolicy.oneTimePassword(for: user.name)
          try self.register.setOneTimePassword(for: user.name, password: password, by: state.session)
          return try self.adminPage(
            state, flash: "Added \(user.name) as \(user.role.withArticle). Their one-time password is \(password)")
        } catch let e as InvalidInput {
          var errors = FormErrors()
          errors.add(e, fields: ["NAME": "user-name", "role": "user-role"], fallback: "user-name")
          return try self.adminPage(state, errors: errors, typed: form)
        }
      }
    }

    router.post("/admin/users/:name/:change") { request, context in
      let state = context.signedIn!
      let form = try await self.form(request, context)
      let name = context.parameters.get("name") ?? ""
      let change = context.parameters.get("change") ?? ""
      return await self.respond(state) {
        switch change {
        case "deactivate":
          try self.register.deactivateUser(name, by: state.session)
          return WebApp.seeOther("/admin?done=deactivated")
        case "password":
          let password = PasswordPolicy.oneTimePassword(for: name)
          try self.register.setOneTimePassword(for: name, password: password, by: state.session)
          return try self.adminPage(state, flash: "The one-time password for \(name) is \(password)")
        case "role":
          _ = try self.register.changeRole(
            of: name, to: try Role.parse(form["role"], field: "role"), by: state.session)
          return WebApp.seeOther("/admin?done=role")
        default:
          throw StoreError.notFound(what: "change", key: change)
        }
      }
    }
  }

  // MARK: - Settings

  func addSettingsRoutes(to router: Router<WebContext>) {
    router.get("/settings") { request, context in
      let state = context.signedIn!
      let done = request.uri.queryParameters["done"] != nil
      return await self.respond(state) {
        try self.settingsPage(state, flash: done ? "The setting has been saved." : nil)
      }
    }

    router.post("/settings") { request, context in
      let state = context.signedIn!
      let form = try await self.form(request, context)
      return await self.respond(state) {
        do {
          try self.register.setSetting(form["key"], to: form["value"], by: state.session)
          return WebApp.seeOther("/settings?done=1")
        } catch let e as InvalidInput {
          var errors = FormErrors()
          errors.add(e, fields: [:], fallback: "setting-\(form["key"])")
          return try self.settingsPage(state, errors: errors)
        }
      }
    }
  }

  func settingsPage(_ state: WebSessionState, flash: String? = nil, errors: FormErrors = FormErrors()) throws
    -> Response
  {
    let settings = try register.settings(by: state.session)
    return views.page(
      "settings", title: "Settings", state: state, status: errors.isEmpty ? .ok : .unprocessableContent,
      [
        "settings": settings.map { ["key": $0.key, "value": $0.value, "help": sentence($0.help)] },
        "canSet": Permission.runRegisterCycle.roles.contains(state.session.user.role),
      ], errors: errors, flash: flash, section: "settings")
  }

  static let adminMessages: [String: String] = [
    "deactivated": "The user has been deactivated and their sessions ended.",
    "role": "The role has been changed and the user's sessions ended.",
  ]

  func adminPage(_ state: WebSessionState, flash: String? = nil, errors: FormErrors = FormErrors(), typed: Form? = nil)
    throws -> Response
  {
    try state.session.user.require(.manageUsers)
    let users = try register.users(by: state.session)
    return views.page(
      "admin", title: "Users", state: state, status: errors.isEmpty ? .ok : .unprocessableContent,
      [
        "users": users.map { u -> [String: Any] in
          [
            "name": u.name, "role": u.role.rawValue, "me": u.id == state.session.user.id,
            "roles": choices(Role.self, selected: u.role.rawValue),
          ]
        },
        "roles": choices(Role.self, selected: typed?["role"] ?? "caseworker"),
        "typedName": typed?["name"] ?? "",
      ], errors: errors, flash: flash, section: "admin")
  }
}
