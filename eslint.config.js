// The lint half of the quality gate (the typecheck is tsc, strict): TypeScript's recommended rules and React's
// rules of hooks. Kept small on purpose: formatting is not linted.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', 'bench-results/']},
	...tseslint.configs.recommended,
	{
		files: ['**/*.tsx', 'components/**/*.ts'],
		plugins: {'react-hooks': reactHooks},
		rules: reactHooks.configs.recommended.rules,
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
		},
	},
);
