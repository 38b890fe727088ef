/**
 * A JSON schema for SPDX 2.3 JSON documents. No npm package ships the official
 * spdx/spdx-spec `schemas/spdx-schema.json` (looked for on the npm registry: spdx-schema,
 * @spdx/spdx-schema, spdx-2.3-schema; the popular spdx-* packages are licence-list and expression
 * tools), so this one is written from the SPDX 2.3 specification (clauses 6 document creation,
 * 7 package, 11 relationship): the required fields, their types and the enumerations an SBOM
 * consumer relies on. Unknown properties are allowed, as in the official schema's optional fields.
 */
const CHECKSUM_ALGORITHMS = [
  'SHA1',
  'BLAKE3',
  'SHA3-384',
  'SHA256',
  'SHA384',
  'BLAKE2b-512',
  'BLAKE2b-256',
  'SHA3-512',
  'MD2',
  'ADLER32',
  'MD4',
  'SHA3-256',
  'BLAKE2b-384',
  'SHA512',
  'MD6',
  'MD5',
  'SHA224',
];

const RELATIONSHIP_TYPES = [
  'VARIANT_OF',
  'COPY_OF',
  'PATCH_FOR',
  'TEST_DEPENDENCY_OF',
  'CONTAINED_BY',
  'DATA_FILE_OF',
  'OPTIONAL_COMPONENT_OF',
  'ANCESTOR_OF',
  'GENERATES',
  'CONTAINS',
  'OPTIONAL_DEPENDENCY_OF',
  'FILE_ADDED',
  'REQUIREMENT_DESCRIPTION_FOR',
  'DEV_DEPENDENCY_OF',
  'DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF',
  'DESCRIBES',
  'PREREQUISITE_FOR',
  'HAS_PREREQUISITE',
  'PROVIDED_DEPENDENCY_OF',
  'DYNAMIC_LINK',
  'DESCRIBED_BY',
  'METAFILE_OF',
  'DEPENDENCY_MANIFEST_OF',
  'PATCH_APPLIED',
  'RUNTIME_DEPENDENCY_OF',
  'TEST_OF',
  'TEST_TOOL_OF',
  'DEPENDS_ON',
  'SPECIFICATION_FOR',
  'FILE_MODIFIED',
  'DISTRIBUTION_ARTIFACT',
  'AMENDS',
  'DOCUMENTATION_OF',
  'GENERATED_FROM',
  'STATIC_LINK',
  'OTHER',
  'BUILD_TOOL_OF',
  'TEST_CASE_OF',
  'PACKAGE_OF',
  'DESCENDANT_OF',
  'FILE_DELETED',
  'EXPANDED_FROM_ARCHIVE',
  'DEV_TOOL_OF',
  'EXAMPLE_OF',
];

const PURPOSES = [
  'OTHER',
  'INSTALL',
  'ARCHIVE',
  'FIRMWARE',
  'APPLICATION',
  'FRAMEWORK',
  'LIBRARY',
  'CONTAINER',
  'SOURCE',
  'DEVICE',
  'OPERATING_SYSTEM',
  'FILE',
];

const SPDX_ID = { type: 'string', pattern: '^(DocumentRef-[A-Za-z0-9.-]+:)?SPDXRef-[A-Za-z0-9.-]+$' };

export const SPDX_23_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:sbom-upload:spdx-2.3-subset',
  title: 'SPDX 2.3 JSON document (subset written from the specification)',
  type: 'object',
  required: ['spdxVersion', 'dataLicense', 'SPDXID', 'name', 'documentNamespace', 'creationInfo'],
  properties: {
    spdxVersion: { type: 'string', pattern: '^SPDX-2\\.[23]$' },
    dataLicense: { const: 'CC0-1.0' },
    SPDXID: { const: 'SPDXRef-DOCUMENT' },
    name: { type: 'string' },
    documentNamespace: { type: 'string', format: 'uri' },
    documentDescribes: { type: 'array', items: SPDX_ID },
    creationInfo: {
      type: 'object',
      required: ['created', 'creators'],
      properties: {
        created: { type: 'string', format: 'date-time' },
        creators: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^(Person|Organization|Tool): ' },
        },
        licenseListVersion: { type: 'string' },
        comment: { type: 'string' },
      },
    },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'name', 'downloadLocation'],
        properties: {
          SPDXID: SPDX_ID,
          name: { type: 'string' },
          versionInfo: { type: 'string' },
          downloadLocation: { type: 'string' },
          filesAnalyzed: { type: 'boolean' },
          licenseConcluded: { type: 'string' },
          licenseDeclared: { type: 'string' },
          copyrightText: { type: 'string' },
          supplier: { type: 'string' },
          primaryPackagePurpose: { enum: PURPOSES },
          checksums: {
            type: 'array',
            items: {
              type: 'object',
              required: ['algorithm', 'checksumValue'],
              properties: { algorithm: { enum: CHECKSUM_ALGORITHMS }, checksumValue: { type: 'string' } },
            },
          },
          externalRefs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['referenceCategory', 'referenceLocator', 'referenceType'],
              properties: {
                referenceCategory: {
                  enum: [
                    'OTHER',
                    'PERSISTENT-ID',
                    'SECURITY',
                    'PACKAGE-MANAGER',
                    'PACKAGE_MANAGER',
                    'PERSISTENT_ID',
                  ],
                },
                referenceLocator: { type: 'string' },
                referenceType: { type: 'string' },
              },
            },
          },
        },
      },
    },
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'fileName'],
        properties: { SPDXID: SPDX_ID, fileName: { type: 'string' } },
      },
    },
    relationships: {
      type: 'array',
      items: {
        type: 'object',
        required: ['spdxElementId', 'relationshipType', 'relatedSpdxElement'],
        properties: {
          spdxElementId: { type: 'string' },
          relatedSpdxElement: { type: 'string' },
          relationshipType: { enum: RELATIONSHIP_TYPES },
        },
      },
    },
  },
} as const;
