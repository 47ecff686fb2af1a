/**
 * Types shared by every module of the SDK.
 *
 * <p>Packages named {@code internal} in any SDK module are implementation details: they may change
 * in any release and must not be imported by applications.
 */
package dev.kafkasdk.core;
