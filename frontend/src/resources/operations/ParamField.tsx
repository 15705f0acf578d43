import { NumberInput, SelectInput, TextInput } from 'react-admin';
import type { ParamInput } from './operationForm';

/** One input of an operation's form, by the parameter's kind (shared by single and bulk operations). */
export const ParamField = ({ input }: { input: ParamInput }) => {
  const common = {
    source: input.name,
    label: input.label,
    validate: input.validate,
    helperText: input.helperText,
  };
  switch (input.kind) {
    case 'select':
      return <SelectInput {...common} choices={input.choices ?? []} />;
    case 'number':
      return <NumberInput {...common} min={input.min} max={input.max} step={1} />;
    case 'textarea':
      return <TextInput {...common} multiline minRows={3} />;
    default:
      return <TextInput {...common} type={input.kind} />;
  }
};
