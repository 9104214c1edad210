export namespace apperr {
	
	export class FieldError {
	    field: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new FieldError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.message = source["message"];
	    }
	}

}

export namespace audit {
	
	export class Bucket {
	    // Go type: time
	    start: any;
	    calls: number;
	    refusals: number;
	
	    static createFrom(source: any = {}) {
	        return new Bucket(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.start = this.convertValues(source["start"], null);
	        this.calls = source["calls"];
	        this.refusals = source["refusals"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Refusal {
	    // Go type: time
	    time: any;
	    source: string;
	    actor: string;
	    operation: string;
	    target: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Refusal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.time = this.convertValues(source["time"], null);
	        this.source = source["source"];
	        this.actor = source["actor"];
	        this.operation = source["operation"];
	        this.target = source["target"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Dashboard {
	    hours: Bucket[];
	    days: Bucket[];
	    refusals: Refusal[];
	
	    static createFrom(source: any = {}) {
	        return new Dashboard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hours = this.convertValues(source["hours"], Bucket);
	        this.days = this.convertValues(source["days"], Bucket);
	        this.refusals = this.convertValues(source["refusals"], Refusal);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace desktop {
	
	export class APIServerInfo {
	    running: boolean;
	    address: string;
	    url: string;
	    fingerprint: string;
	    error: string;
	    listen: string;
	    enabled: boolean;
	    trustedProxies: string;
	    refusalsAsPmp: boolean;
	
	    static createFrom(source: any = {}) {
	        return new APIServerInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.address = source["address"];
	        this.url = source["url"];
	        this.fingerprint = source["fingerprint"];
	        this.error = source["error"];
	        this.listen = source["listen"];
	        this.enabled = source["enabled"];
	        this.trustedProxies = source["trustedProxies"];
	        this.refusalsAsPmp = source["refusalsAsPmp"];
	    }
	}
	export class APIUserRequest {
	    username: string;
	    host: string;
	    fullName: string;
	    email: string;
	    role: string;
	    scope: string;
	    sshPublicKey: string;
	    certificate: string;
	    restEnabled: boolean;
	    apiKey: string;
	    neverExpires: boolean;
	    expiresAt: string;
	    department: string;
	    location: string;
	
	    static createFrom(source: any = {}) {
	        return new APIUserRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.host = source["host"];
	        this.fullName = source["fullName"];
	        this.email = source["email"];
	        this.role = source["role"];
	        this.scope = source["scope"];
	        this.sshPublicKey = source["sshPublicKey"];
	        this.certificate = source["certificate"];
	        this.restEnabled = source["restEnabled"];
	        this.apiKey = source["apiKey"];
	        this.neverExpires = source["neverExpires"];
	        this.expiresAt = source["expiresAt"];
	        this.department = source["department"];
	        this.location = source["location"];
	    }
	}
	export class AccountRequest {
	    accountName: string;
	    password: string;
	    notes: string;
	    reasonRequired: boolean;
	    ticketRequired: boolean;
	    ticketMandatory: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AccountRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.accountName = source["accountName"];
	        this.password = source["password"];
	        this.notes = source["notes"];
	        this.reasonRequired = source["reasonRequired"];
	        this.ticketRequired = source["ticketRequired"];
	        this.ticketMandatory = source["ticketMandatory"];
	    }
	}
	export class AccountView {
	    id: string;
	    name: string;
	    notes: string;
	    reasonRequired: boolean;
	    ticketRequired: boolean;
	    ticketMandatory: boolean;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.notes = source["notes"];
	        this.reasonRequired = source["reasonRequired"];
	        this.ticketRequired = source["ticketRequired"];
	        this.ticketMandatory = source["ticketMandatory"];
	        this.updatedAt = source["updatedAt"];
	    }
	}
	export class AffectedRow {
	    username: string;
	    kind: string;
	    fullName: string;
	    email: string;
	    host: string;
	    role: string;
	    roleName: string;
	    scope: string;
	    superAdmin: boolean;
	    department: string;
	    location: string;
	    disabled: boolean;
	    restEnabled: boolean;
	    keyStatus: string;
	    keyHint: string;
	    keyCreatedAt: string;
	    keyExpiresAt: string;
	    lastUsedAt: string;
	    lastUsedFrom: string;
	    useCount: number;
	    createdAt: string;
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new AffectedRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.kind = source["kind"];
	        this.fullName = source["fullName"];
	        this.email = source["email"];
	        this.host = source["host"];
	        this.role = source["role"];
	        this.roleName = source["roleName"];
	        this.scope = source["scope"];
	        this.superAdmin = source["superAdmin"];
	        this.department = source["department"];
	        this.location = source["location"];
	        this.disabled = source["disabled"];
	        this.restEnabled = source["restEnabled"];
	        this.keyStatus = source["keyStatus"];
	        this.keyHint = source["keyHint"];
	        this.keyCreatedAt = source["keyCreatedAt"];
	        this.keyExpiresAt = source["keyExpiresAt"];
	        this.lastUsedAt = source["lastUsedAt"];
	        this.lastUsedFrom = source["lastUsedFrom"];
	        this.useCount = source["useCount"];
	        this.createdAt = source["createdAt"];
	        this.status = source["status"];
	    }
	}
	export class IntegrityResult {
	    checked: boolean;
	    ok: boolean;
	    records: number;
	    message: string;
	    at: string;
	
	    static createFrom(source: any = {}) {
	        return new IntegrityResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.checked = source["checked"];
	        this.ok = source["ok"];
	        this.records = source["records"];
	        this.message = source["message"];
	        this.at = source["at"];
	    }
	}
	export class OperatorView {
	    username: string;
	    fullName: string;
	    email: string;
	    role: string;
	    roleName: string;
	    scope: string;
	    superAdmin: boolean;
	    permissions: string[];
	
	    static createFrom(source: any = {}) {
	        return new OperatorView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.fullName = source["fullName"];
	        this.email = source["email"];
	        this.role = source["role"];
	        this.roleName = source["roleName"];
	        this.scope = source["scope"];
	        this.superAdmin = source["superAdmin"];
	        this.permissions = source["permissions"];
	    }
	}
	export class AppState {
	    phase: string;
	    keyStorage: string;
	    keyringAvailable: boolean;
	    keyringProblem: string;
	    os: string;
	    lockedReason: string;
	    dataDir: string;
	    operator?: OperatorView;
	    idleTimeoutSeconds: number;
	    version: string;
	    auditIntegrity: IntegrityResult;
	    sample: boolean;
	    sampleExists: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AppState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.phase = source["phase"];
	        this.keyStorage = source["keyStorage"];
	        this.keyringAvailable = source["keyringAvailable"];
	        this.keyringProblem = source["keyringProblem"];
	        this.os = source["os"];
	        this.lockedReason = source["lockedReason"];
	        this.dataDir = source["dataDir"];
	        this.operator = this.convertValues(source["operator"], OperatorView);
	        this.idleTimeoutSeconds = source["idleTimeoutSeconds"];
	        this.version = source["version"];
	        this.auditIntegrity = this.convertValues(source["auditIntegrity"], IntegrityResult);
	        this.sample = source["sample"];
	        this.sampleExists = source["sampleExists"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuditFilter {
	    from: string;
	    to: string;
	    actor: string;
	    operation: string;
	    target: string;
	    result: string;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.actor = source["actor"];
	        this.operation = source["operation"];
	        this.target = source["target"];
	        this.result = source["result"];
	        this.source = source["source"];
	    }
	}
	export class AuditRecord {
	    seq: number;
	    time: string;
	    actor: string;
	    actorName: string;
	    actorKind: string;
	    source: string;
	    operation: string;
	    target: string;
	    result: string;
	    reason: string;
	    prev: string;
	    hash: string;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditRecord(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.time = source["time"];
	        this.actor = source["actor"];
	        this.actorName = source["actorName"];
	        this.actorKind = source["actorKind"];
	        this.source = source["source"];
	        this.operation = source["operation"];
	        this.target = source["target"];
	        this.result = source["result"];
	        this.reason = source["reason"];
	        this.prev = source["prev"];
	        this.hash = source["hash"];
	        this.version = source["version"];
	    }
	}
	export class AuditPage {
	    records: AuditRecord[];
	    next: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.records = this.convertValues(source["records"], AuditRecord);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class BackupRequest {
	    path: string;
	    passphrase: string;
	    confirmPassphrase: string;
	
	    static createFrom(source: any = {}) {
	        return new BackupRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.passphrase = source["passphrase"];
	        this.confirmPassphrase = source["confirmPassphrase"];
	    }
	}
	export class BackupResult {
	    path: string;
	    records: number;
	    bytes: number;
	    auditRecords: number;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new BackupResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.records = source["records"];
	        this.bytes = source["bytes"];
	        this.auditRecords = source["auditRecords"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class BulkCommon {
	    prefix: string;
	    role: string;
	    scope: string;
	    restEnabled: boolean;
	    neverExpires: boolean;
	    expiresAt: string;
	
	    static createFrom(source: any = {}) {
	        return new BulkCommon(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.prefix = source["prefix"];
	        this.role = source["role"];
	        this.scope = source["scope"];
	        this.restEnabled = source["restEnabled"];
	        this.neverExpires = source["neverExpires"];
	        this.expiresAt = source["expiresAt"];
	    }
	}
	export class BulkCreateRequest {
	    rows: onboard.Row[];
	    common: BulkCommon;
	    skipBad: boolean;
	    keyFile: string;
	    sealDir: string;
	
	    static createFrom(source: any = {}) {
	        return new BulkCreateRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], onboard.Row);
	        this.common = this.convertValues(source["common"], BulkCommon);
	        this.skipBad = source["skipBad"];
	        this.keyFile = source["keyFile"];
	        this.sealDir = source["sealDir"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkRowView {
	    line: number;
	    username: string;
	    fullName: string;
	    sealable: boolean;
	    errors: apperr.FieldError[];
	
	    static createFrom(source: any = {}) {
	        return new BulkRowView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.username = source["username"];
	        this.fullName = source["fullName"];
	        this.sealable = source["sealable"];
	        this.errors = this.convertValues(source["errors"], apperr.FieldError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkPreview {
	    rows: BulkRowView[];
	    bad: number;
	
	    static createFrom(source: any = {}) {
	        return new BulkPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], BulkRowView);
	        this.bad = source["bad"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkRequest {
	    rows: onboard.Row[];
	    common: BulkCommon;
	
	    static createFrom(source: any = {}) {
	        return new BulkRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], onboard.Row);
	        this.common = this.convertValues(source["common"], BulkCommon);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BulkResult {
	    total: number;
	    created: number;
	    skipped: number;
	    inKeyFile: number;
	    sealed: number;
	    cancelled: boolean;
	    keyFile: string;
	    sealDir: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new BulkResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.created = source["created"];
	        this.skipped = source["skipped"];
	        this.inKeyFile = source["inKeyFile"];
	        this.sealed = source["sealed"];
	        this.cancelled = source["cancelled"];
	        this.keyFile = source["keyFile"];
	        this.sealDir = source["sealDir"];
	        this.message = source["message"];
	    }
	}
	
	export class CertificateView {
	    fingerprint: string;
	    subject: string;
	    notAfter: string;
	    imported: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CertificateView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fingerprint = source["fingerprint"];
	        this.subject = source["subject"];
	        this.notAfter = source["notAfter"];
	        this.imported = source["imported"];
	    }
	}
	export class DashboardKeys {
	    apiUsers: number;
	    active: number;
	    expiringWithin30: number;
	    expiringWithin7: number;
	    expiringWithin1: number;
	    expired: number;
	    noKey: number;
	    disabled: number;
	    revoked: number;
	    idle: number;
	
	    static createFrom(source: any = {}) {
	        return new DashboardKeys(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.apiUsers = source["apiUsers"];
	        this.active = source["active"];
	        this.expiringWithin30 = source["expiringWithin30"];
	        this.expiringWithin7 = source["expiringWithin7"];
	        this.expiringWithin1 = source["expiringWithin1"];
	        this.expired = source["expired"];
	        this.noKey = source["noKey"];
	        this.disabled = source["disabled"];
	        this.revoked = source["revoked"];
	        this.idle = source["idle"];
	    }
	}
	export class GettingStarted {
	    baseUrl: string;
	    publicKeyPin: string;
	    resources: number;
	    command: string;
	    example: string;
	
	    static createFrom(source: any = {}) {
	        return new GettingStarted(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.baseUrl = source["baseUrl"];
	        this.publicKeyPin = source["publicKeyPin"];
	        this.resources = source["resources"];
	        this.command = source["command"];
	        this.example = source["example"];
	    }
	}
	export class ServiceStatus {
	    running: boolean;
	    address: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new ServiceStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.address = source["address"];
	        this.error = source["error"];
	    }
	}
	export class DashboardView {
	    keys?: DashboardKeys;
	    activity?: audit.Dashboard;
	    api: ServiceStatus;
	    ssh: ServiceStatus;
	    gettingStarted?: GettingStarted;
	
	    static createFrom(source: any = {}) {
	        return new DashboardView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keys = this.convertValues(source["keys"], DashboardKeys);
	        this.activity = this.convertValues(source["activity"], audit.Dashboard);
	        this.api = this.convertValues(source["api"], ServiceStatus);
	        this.ssh = this.convertValues(source["ssh"], ServiceStatus);
	        this.gettingStarted = this.convertValues(source["gettingStarted"], GettingStarted);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExportResult {
	    path: string;
	    records: number;
	
	    static createFrom(source: any = {}) {
	        return new ExportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.records = source["records"];
	    }
	}
	
	export class HostCount {
	    host: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new HostCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.count = source["count"];
	    }
	}
	
	export class KeyValidity {
	    days: number;
	    min: number;
	    max: number;
	
	    static createFrom(source: any = {}) {
	        return new KeyValidity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.days = source["days"];
	        this.min = source["min"];
	        this.max = source["max"];
	    }
	}
	export class OperatorRequest {
	    username: string;
	    fullName: string;
	    email: string;
	    password: string;
	    confirmPassword: string;
	    role: string;
	    scope: string;
	    department: string;
	    location: string;
	
	    static createFrom(source: any = {}) {
	        return new OperatorRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.fullName = source["fullName"];
	        this.email = source["email"];
	        this.password = source["password"];
	        this.confirmPassword = source["confirmPassword"];
	        this.role = source["role"];
	        this.scope = source["scope"];
	        this.department = source["department"];
	        this.location = source["location"];
	    }
	}
	
	export class PermissionView {
	    id: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new PermissionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	    }
	}
	export class PolicyView {
	    name: string;
	    length: number;
	    description: string;
	
	    static createFrom(source: any = {}) {
	        return new PolicyView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.length = source["length"];
	        this.description = source["description"];
	    }
	}
	export class UserRow {
	    username: string;
	    kind: string;
	    fullName: string;
	    email: string;
	    host: string;
	    role: string;
	    roleName: string;
	    scope: string;
	    superAdmin: boolean;
	    department: string;
	    location: string;
	    disabled: boolean;
	    restEnabled: boolean;
	    keyStatus: string;
	    keyHint: string;
	    keyCreatedAt: string;
	    keyExpiresAt: string;
	    lastUsedAt: string;
	    lastUsedFrom: string;
	    useCount: number;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new UserRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.kind = source["kind"];
	        this.fullName = source["fullName"];
	        this.email = source["email"];
	        this.host = source["host"];
	        this.role = source["role"];
	        this.roleName = source["roleName"];
	        this.scope = source["scope"];
	        this.superAdmin = source["superAdmin"];
	        this.department = source["department"];
	        this.location = source["location"];
	        this.disabled = source["disabled"];
	        this.restEnabled = source["restEnabled"];
	        this.keyStatus = source["keyStatus"];
	        this.keyHint = source["keyHint"];
	        this.keyCreatedAt = source["keyCreatedAt"];
	        this.keyExpiresAt = source["keyExpiresAt"];
	        this.lastUsedAt = source["lastUsedAt"];
	        this.lastUsedFrom = source["lastUsedFrom"];
	        this.useCount = source["useCount"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class RegeneratedKey {
	    apiKey: string;
	    user: UserRow;
	
	    static createFrom(source: any = {}) {
	        return new RegeneratedKey(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.apiKey = source["apiKey"];
	        this.user = this.convertValues(source["user"], UserRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ReportView {
	    keyStatus: {[key: string]: number};
	    expiringSoon: UserRow[];
	    idleKeys: UserRow[];
	    superAdmins: UserRow[];
	    perHost: HostCount[];
	
	    static createFrom(source: any = {}) {
	        return new ReportView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keyStatus = source["keyStatus"];
	        this.expiringSoon = this.convertValues(source["expiringSoon"], UserRow);
	        this.idleKeys = this.convertValues(source["idleKeys"], UserRow);
	        this.superAdmins = this.convertValues(source["superAdmins"], UserRow);
	        this.perHost = this.convertValues(source["perHost"], HostCount);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ShareView {
	    grantee: string;
	    accountId: string;
	    permission: string;
	
	    static createFrom(source: any = {}) {
	        return new ShareView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.grantee = source["grantee"];
	        this.accountId = source["accountId"];
	        this.permission = source["permission"];
	    }
	}
	export class ResourceView {
	    id: string;
	    name: string;
	    dnsName: string;
	    type: string;
	    description: string;
	    department: string;
	    location: string;
	    url: string;
	    owner: string;
	    accounts: number;
	
	    static createFrom(source: any = {}) {
	        return new ResourceView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.dnsName = source["dnsName"];
	        this.type = source["type"];
	        this.description = source["description"];
	        this.department = source["department"];
	        this.location = source["location"];
	        this.url = source["url"];
	        this.owner = source["owner"];
	        this.accounts = source["accounts"];
	    }
	}
	export class ResourceDetail {
	    resource: ResourceView;
	    accounts: AccountView[];
	    shares: ShareView[];
	
	    static createFrom(source: any = {}) {
	        return new ResourceDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.resource = this.convertValues(source["resource"], ResourceView);
	        this.accounts = this.convertValues(source["accounts"], AccountView);
	        this.shares = this.convertValues(source["shares"], ShareView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ResourceRequest {
	    name: string;
	    dnsName: string;
	    type: string;
	    description: string;
	    department: string;
	    location: string;
	    url: string;
	    owner: string;
	
	    static createFrom(source: any = {}) {
	        return new ResourceRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.dnsName = source["dnsName"];
	        this.type = source["type"];
	        this.description = source["description"];
	        this.department = source["department"];
	        this.location = source["location"];
	        this.url = source["url"];
	        this.owner = source["owner"];
	    }
	}
	
	export class RestoreInfo {
	    dataDir: string;
	    hasData: boolean;
	    asidePattern: string;
	    needsNewPassphrase: boolean;
	    minPassphrase: number;
	
	    static createFrom(source: any = {}) {
	        return new RestoreInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dataDir = source["dataDir"];
	        this.hasData = source["hasData"];
	        this.asidePattern = source["asidePattern"];
	        this.needsNewPassphrase = source["needsNewPassphrase"];
	        this.minPassphrase = source["minPassphrase"];
	    }
	}
	export class RestoreRequest {
	    file: string;
	    passphrase: string;
	    newPassphrase: string;
	
	    static createFrom(source: any = {}) {
	        return new RestoreRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.passphrase = source["passphrase"];
	        this.newPassphrase = source["newPassphrase"];
	    }
	}
	export class RestoreResult {
	    file: string;
	    records: number;
	    auditRecords: number;
	    createdAt: string;
	    aside: string;
	    state: AppState;
	
	    static createFrom(source: any = {}) {
	        return new RestoreResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.records = source["records"];
	        this.auditRecords = source["auditRecords"];
	        this.createdAt = source["createdAt"];
	        this.aside = source["aside"];
	        this.state = this.convertValues(source["state"], AppState);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RevocationPreview {
	    total: number;
	    revoke: number;
	    notYours: number;
	    alreadyRevoked: number;
	    rows: AffectedRow[];
	
	    static createFrom(source: any = {}) {
	        return new RevocationPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.revoke = source["revoke"];
	        this.notYours = source["notYours"];
	        this.alreadyRevoked = source["alreadyRevoked"];
	        this.rows = this.convertValues(source["rows"], AffectedRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RevocationView {
	    revoked: boolean;
	    at: string;
	    by: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new RevocationView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.revoked = source["revoked"];
	        this.at = source["at"];
	        this.by = source["by"];
	        this.reason = source["reason"];
	    }
	}
	export class RevokeResult {
	    revoked: number;
	    notYours: number;
	    alreadyRevoked: number;
	    batches: number;
	
	    static createFrom(source: any = {}) {
	        return new RevokeResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.revoked = source["revoked"];
	        this.notYours = source["notYours"];
	        this.alreadyRevoked = source["alreadyRevoked"];
	        this.batches = source["batches"];
	    }
	}
	export class RoleRequest {
	    name: string;
	    permissions: string[];
	
	    static createFrom(source: any = {}) {
	        return new RoleRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.permissions = source["permissions"];
	    }
	}
	export class RoleView {
	    id: string;
	    name: string;
	    builtIn: boolean;
	    permissions: string[];
	    users: number;
	    mayHaveAllPasswords: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RoleView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.builtIn = source["builtIn"];
	        this.permissions = source["permissions"];
	        this.users = source["users"];
	        this.mayHaveAllPasswords = source["mayHaveAllPasswords"];
	    }
	}
	export class SSHServerInfo {
	    running: boolean;
	    address: string;
	    fingerprint: string;
	    error: string;
	    listen: string;
	    enabled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SSHServerInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.address = source["address"];
	        this.fingerprint = source["fingerprint"];
	        this.error = source["error"];
	        this.listen = source["listen"];
	        this.enabled = source["enabled"];
	    }
	}
	export class SecurityInfo {
	    keyStorage: string;
	    keyStorageLabel: string;
	    dataDir: string;
	    logFile: string;
	    storeBytes: number;
	    auditRecords: number;
	
	    static createFrom(source: any = {}) {
	        return new SecurityInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keyStorage = source["keyStorage"];
	        this.keyStorageLabel = source["keyStorageLabel"];
	        this.dataDir = source["dataDir"];
	        this.logFile = source["logFile"];
	        this.storeBytes = source["storeBytes"];
	        this.auditRecords = source["auditRecords"];
	    }
	}
	
	export class SetupRequest {
	    username: string;
	    fullName: string;
	    email: string;
	    password: string;
	    confirmPassword: string;
	    passphrase: string;
	    confirmPassphrase: string;
	
	    static createFrom(source: any = {}) {
	        return new SetupRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.fullName = source["fullName"];
	        this.email = source["email"];
	        this.password = source["password"];
	        this.confirmPassword = source["confirmPassword"];
	        this.passphrase = source["passphrase"];
	        this.confirmPassphrase = source["confirmPassphrase"];
	    }
	}
	export class ShareRequest {
	    resourceId: string;
	    accountId: string;
	    grantee: string;
	    permission: string;
	
	    static createFrom(source: any = {}) {
	        return new ShareRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.resourceId = source["resourceId"];
	        this.accountId = source["accountId"];
	        this.grantee = source["grantee"];
	        this.permission = source["permission"];
	    }
	}
	
	export class UserAuditRecord {
	    seq: number;
	    time: string;
	    actor: string;
	    operation: string;
	    target: string;
	    result: string;
	    source: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new UserAuditRecord(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.time = source["time"];
	        this.actor = source["actor"];
	        this.operation = source["operation"];
	        this.target = source["target"];
	        this.result = source["result"];
	        this.source = source["source"];
	        this.reason = source["reason"];
	    }
	}
	export class UserShare {
	    resourceId: string;
	    resourceName: string;
	    accountId: string;
	    accountName: string;
	    permission: string;
	
	    static createFrom(source: any = {}) {
	        return new UserShare(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.resourceId = source["resourceId"];
	        this.resourceName = source["resourceName"];
	        this.accountId = source["accountId"];
	        this.accountName = source["accountName"];
	        this.permission = source["permission"];
	    }
	}
	export class UserActivity {
	    shares: UserShare[];
	    audit: UserAuditRecord[];
	    auditHidden: boolean;
	
	    static createFrom(source: any = {}) {
	        return new UserActivity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.shares = this.convertValues(source["shares"], UserShare);
	        this.audit = this.convertValues(source["audit"], UserAuditRecord);
	        this.auditHidden = source["auditHidden"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class UserDetail {
	    username: string;
	    kind: string;
	    fullName: string;
	    email: string;
	    host: string;
	    role: string;
	    roleName: string;
	    scope: string;
	    superAdmin: boolean;
	    department: string;
	    location: string;
	    disabled: boolean;
	    restEnabled: boolean;
	    keyStatus: string;
	    keyHint: string;
	    keyCreatedAt: string;
	    keyExpiresAt: string;
	    lastUsedAt: string;
	    lastUsedFrom: string;
	    useCount: number;
	    createdAt: string;
	    sshPublicKey: string;
	    sshFingerprint: string;
	    certificate: string;
	    certificateSubject: string;
	    certificateNotAfter: string;
	    certificateFingerprint: string;
	
	    static createFrom(source: any = {}) {
	        return new UserDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.username = source["username"];
	        this.kind = source["kind"];
	        this.fullName = source["fullName"];
	        this.email = source["email"];
	        this.host = source["host"];
	        this.role = source["role"];
	        this.roleName = source["roleName"];
	        this.scope = source["scope"];
	        this.superAdmin = source["superAdmin"];
	        this.department = source["department"];
	        this.location = source["location"];
	        this.disabled = source["disabled"];
	        this.restEnabled = source["restEnabled"];
	        this.keyStatus = source["keyStatus"];
	        this.keyHint = source["keyHint"];
	        this.keyCreatedAt = source["keyCreatedAt"];
	        this.keyExpiresAt = source["keyExpiresAt"];
	        this.lastUsedAt = source["lastUsedAt"];
	        this.lastUsedFrom = source["lastUsedFrom"];
	        this.useCount = source["useCount"];
	        this.createdAt = source["createdAt"];
	        this.sshPublicKey = source["sshPublicKey"];
	        this.sshFingerprint = source["sshFingerprint"];
	        this.certificate = source["certificate"];
	        this.certificateSubject = source["certificateSubject"];
	        this.certificateNotAfter = source["certificateNotAfter"];
	        this.certificateFingerprint = source["certificateFingerprint"];
	    }
	}
	export class UserPage {
	    total: number;
	    rows: UserRow[];
	
	    static createFrom(source: any = {}) {
	        return new UserPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.rows = this.convertValues(source["rows"], UserRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace onboard {
	
	export class Row {
	    line: number;
	    username: string;
	    host: string;
	    fullName: string;
	    accessLevel: string;
	    accessScope: string;
	    department: string;
	    location: string;
	    expiryDate: string;
	    sshPublicKey: string;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.username = source["username"];
	        this.host = source["host"];
	        this.fullName = source["fullName"];
	        this.accessLevel = source["accessLevel"];
	        this.accessScope = source["accessScope"];
	        this.department = source["department"];
	        this.location = source["location"];
	        this.expiryDate = source["expiryDate"];
	        this.sshPublicKey = source["sshPublicKey"];
	    }
	}

}

export namespace users {
	
	export class Query {
	    search: string;
	    kind: string;
	    role: string;
	    keyStatus: string;
	    expiringWithinDays?: number;
	    idle?: boolean;
	    sortBy: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new Query(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.kind = source["kind"];
	        this.role = source["role"];
	        this.keyStatus = source["keyStatus"];
	        this.expiringWithinDays = source["expiringWithinDays"];
	        this.idle = source["idle"];
	        this.sortBy = source["sortBy"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class Selection {
	    by: string;
	    value: string;
	    query: Query;
	
	    static createFrom(source: any = {}) {
	        return new Selection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.by = source["by"];
	        this.value = source["value"];
	        this.query = this.convertValues(source["query"], Query);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

