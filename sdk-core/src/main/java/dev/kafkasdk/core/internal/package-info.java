/**
 * Implementation details shared by the SDK's modules. Not an API: it may change in any release and
 * must not be imported by applications.
 */
package dev.kafkasdk.core.internal;
