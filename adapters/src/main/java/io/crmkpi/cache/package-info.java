/**
 * The user's cache folder ({@code cache=}): where it is, its upkeep (use marks, clean-up by age) and
 * the authentication of what is read back from it ({@link io.crmkpi.cache.CacheKey}).
 */
package io.crmkpi.cache;
