package io.xscheck.model;

/** The parts of xenstore's behaviour the model's rules and knobs are grouped in, as the rule book shows them. */
public enum Room {
    PATHS("Paths", "what a path may be and how it resolves"),
    ACLS("ACLs", "who may read, write and change permissions"),
    TREE("Tree", "reading, writing, creating and removing nodes"),
    WATCHES("Watches", "registering watches and which events fire"),
    TRANSACTIONS("Transactions", "isolation, commit and conflicts"),
    DOMAINS("Domains", "introducing, releasing and the death of domains"),
    QUOTAS("Quotas", "limits per domain, node and connection"),
    RESTARTS("Restarts", "live update and migration"),
    REQUESTS("Requests", "malformed and unknown requests, CONTROL");

    private final String title;
    private final String about;

    Room(String title, String about) {
        this.title = title;
        this.about = about;
    }

    public String title() {
        return title;
    }

    public String about() {
        return about;
    }
}
