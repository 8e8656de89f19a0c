package io.xscheck.sut;

import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One kind of target in the {@link Suts} registry.
 *
 * @param name the spec that selects it, e.g. {@code cxenstored}
 * @param installed whether it can run on this machine (binary present, ...)
 * @param opener starts or connects to a fresh instance
 */
public record SutFactory(String name, BooleanSupplier installed, Function<SutOptions, Sut> opener) {

    public boolean isInstalled() {
        return installed.getAsBoolean();
    }

    public Sut open(SutOptions options) {
        return opener.apply(options);
    }
}
