package io.xscheck.sut;

/**
 * The four free-running u32 indexes of a guest's xenstore page ({@code struct
 * xenstore_domain_interface} in xen/include/public/io/xs_wire.h). A well-behaved guest writes only
 * {@link #REQ_PROD} and {@link #RSP_CONS}; the page is shared, so a hostile one can write any.
 */
public enum RingIndex {
    REQ_CONS("req_cons"),
    REQ_PROD("req_prod"),
    RSP_CONS("rsp_cons"),
    RSP_PROD("rsp_prod");

    private final String traceName;

    RingIndex(String traceName) {
        this.traceName = traceName;
    }

    /** The field's name in xs_wire.h, as traces write it. */
    public String traceName() {
        return traceName;
    }

    /** The index named {@code name} ({@code req_prod}, ...), or null. */
    public static RingIndex named(String name) {
        for (RingIndex i : values()) {
            if (i.traceName.equals(name)) {
                return i;
            }
        }
        return null;
    }
}
