export namespace desktop {
	
	export class OperatorView {
	    username: string;
	    fullName: string;
	    email: string;
	    role: string;
	    roleName: string;
	    scope: string;
	    superAdmin: boolean;
	
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
	    }
	}
	export class AppState {
	    phase: string;
	    keyStorage: string;
	    keyringAvailable: boolean;
	    keyringProblem: string;
	    lockedReason: string;
	    dataDir: string;
	    operator?: OperatorView;
	    idleTimeoutSeconds: number;
	
	    static createFrom(source: any = {}) {
	        return new AppState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.phase = source["phase"];
	        this.keyStorage = source["keyStorage"];
	        this.keyringAvailable = source["keyringAvailable"];
	        this.keyringProblem = source["keyringProblem"];
	        this.lockedReason = source["lockedReason"];
	        this.dataDir = source["dataDir"];
	        this.operator = this.convertValues(source["operator"], OperatorView);
	        this.idleTimeoutSeconds = source["idleTimeoutSeconds"];
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
	
	export class SecurityInfo {
	    keyStorage: string;
	    keyStorageLabel: string;
	    dataDir: string;
	    logFile: string;
	    storeBytes: number;
	
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

}

