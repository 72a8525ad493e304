/** The bundled schema file for a Teams schema URL, or undefined when @microsoft/app-manifest does not ship it. */
export declare function bundledSchemaFile(schemaUrl: string | undefined): string | undefined;
/** Escapes a "]" that closes no character class. */
export declare function escapeLoneBrackets(pattern: string): string;
/** Validates a Teams manifest or localization file against its bundled $schema, offline; returns the errors. */
export declare function validateOffline(doc: { $schema?: string; [key: string]: unknown }): Promise<string[]>;
